/**
 * src/emulators/dataos: an HTTP server of DataOS Heimdall's API key routes, built to
 * providers/outscale-dataos.md Part B: `apikey` and Bearer auth, `POST authorize` as the
 * whoami, name-keyed tokens per user under `users/{id}/tokens`, tokens that are base64
 * of `<name>.<uuid>`, expirations truncated to the hour, 201 for a new token and 200 for
 * a `use_existing` hit, `{status, message}` error bodies, latency and fault injection,
 * and an optional data folder shared by several processes. What the doc marks as a guess
 * (the delete route, error bodies, the duplicate-name answer) is an option (options.ts).
 *
 * Files: options (defaults and guesses), tokens (format), go-duration, store (data),
 * auth, routes + handlers (the API), server (Heimdall answers; the HTTP skeleton, store
 * file and fault dice are ../shared).
 */
import { randomBytes } from 'node:crypto';
import { OPERATOR_TAG, USER_ID_PATTERN, resolveDataosOptions, type DataosEmulatorOptions, type ResolvedDataosOptions } from './options.js';
import { startDataosServer, type DataosRequestLogEntry } from './server.js';
import { TokenStore, type StoredToken } from './store.js';
import { encodeToken, expirationAfter, formatExpiration, mintTokenSecret } from './tokens.js';

export type { DataosEmulatorOptions, DataosErrorChoice, DeleteRouteStyle, InvalidAuthorizeStyle } from './options.js';
export type { DataosRequestLogEntry } from './server.js';
export { HEIMDALL_PREFIX } from './routes.js';
export { decodeToken, encodeToken } from './tokens.js';
export { parseGoDuration } from './go-duration.js';
export { OPERATOR_TAG } from './options.js';

/** A user id and a token that authenticates as it. */
export interface DataosCredentials {
  readonly userId: string;
  readonly token: string;
}

/** A token as `listTokens` shows it to tests: never the secret. */
export interface EmulatedTokenInfo {
  readonly name: string;
  readonly type: string;
  /** RFC 3339, truncated to the hour. */
  readonly expiration: string;
}

/** A running Heimdall emulator. */
export interface DataosEmulator {
  /** e.g. `http://127.0.0.1:PORT`; the API lives under `/heimdall/api/v1`. */
  readonly url: string;
  /** The bootstrap operator and its token (created on first start, kept in dataDir). */
  readonly bootstrap: DataosCredentials;
  /** Adds a user (unless it exists) and gives it a new token of its own (10 years). */
  addUser(userId: string, options?: { readonly tags?: readonly string[] }): Promise<DataosCredentials>;
  /** The user's tokens straight from the store, oldest first (empty for unknown users). */
  listTokens(userId: string): readonly EmulatedTokenInfo[];
  /** Served requests in order: method, path, status (never headers or bodies). */
  readonly requestLog: readonly DataosRequestLogEntry[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Lifetime of tokens the emulator hands out itself (bootstrap, addUser). */
const CREDENTIAL_LIFETIME_MS = 10 * 365 * 24 * 3_600_000;
/** Name of the bootstrap operator's credential token. */
export const BOOTSTRAP_TOKEN_NAME = 'keyplan-sandbox-bootstrap';

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startDataosEmulator(options: DataosEmulatorOptions = {}): Promise<DataosEmulator> {
  const resolved = resolveDataosOptions(options);
  const { store, bootstrap } = openStore(resolved);
  const log: DataosRequestLogEntry[] = [];
  const server = await startDataosServer({ store, options: resolved, log });

  return {
    url: server.url,
    bootstrap,
    async addUser(userId: string, opts: { readonly tags?: readonly string[] } = {}): Promise<DataosCredentials> {
      if (!USER_ID_PATTERN.test(userId)) throw new TypeError(`Expected \`userId\` to be a user id, got \`${userId}\``);
      store.sync();
      const user = store.ensureUser(userId, opts.tags ?? ['roles:id:user']);
      const token = credentialToken(`keyplan-test-${randomBytes(4).toString('hex')}`, resolved.now());
      user.tokens.push(token);
      store.commit();
      return { userId, token: encodeToken(token.name, token.uuid) };
    },
    listTokens(userId: string): readonly EmulatedTokenInfo[] {
      store.sync();
      return (store.user(userId)?.tokens ?? []).map((t) => ({ name: t.name, type: t.type, expiration: formatExpiration(t.expiresAt) }));
    },
    get requestLog(): readonly DataosRequestLogEntry[] {
      return log;
    },
    close: server.close,
  };
}

function credentialToken(name: string, now: number): StoredToken {
  return { name, uuid: mintTokenSecret(), type: 'apikey', createdAt: now, expiresAt: expirationAfter(now, CREDENTIAL_LIFETIME_MS) };
}

/**
 * Opens the store in the data folder, or creates one with the bootstrap operator. When
 * the bootstrap token was deleted or has expired, a new one replaces it, so a damaged
 * sandbox heals instead of locking its owner out.
 */
function openStore(opts: ResolvedDataosOptions): { store: TokenStore; bootstrap: DataosCredentials } {
  const now = opts.now();
  const store = new TokenStore(opts.dataDir, () => ({
    formatVersion: 1,
    bootstrap: { userId: opts.bootstrapUserId, tokenName: BOOTSTRAP_TOKEN_NAME },
    users: {},
  }));
  const { userId, tokenName } = store.bootstrap;
  const user = store.ensureUser(userId, [OPERATOR_TAG]);
  let token = user.tokens.find((t) => t.name === tokenName);
  if (token === undefined || token.expiresAt <= now) {
    store.removeToken(userId, tokenName);
    token = credentialToken(tokenName, now);
    user.tokens.push(token);
    store.commit();
  }
  return { store, bootstrap: { userId, token: encodeToken(token.name, token.uuid) } };
}
