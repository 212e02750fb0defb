/**
 * src/emulators/oci: a faithful HTTP server of OCI Identity's API key routes
 * (`/20160918/users/{userId}/apiKeys`), built to providers/oci.md §1, §3 and §7:
 * bare-array list, CREATING→ACTIVE, HTTP-signature verification (401 NotAuthenticated),
 * the per-user key limit, RSA ≥ 2048, `opc-retry-token` replay, OCI error bodies with
 * `opc-request-id`, latency and fault injection, and an optional data folder so several
 * processes share one sandbox. The official `oci-identity` client talks to it unchanged.
 *
 * The same server answers Big Data Service API key routes (`/20190531/…`, bds/), sharing
 * the store: a BDS key takes one of its user's IAM key slots (providers/oci.md §2.4).
 *
 * Files: options (defaults and guesses), store (data), credentials (bootstrap admin, test
 * users), signature (auth), session-tokens + session-profile (session-token auth), routes + handlers (the API), server (OCI answers; the HTTP
 * skeleton, store file and fault dice are ../shared).
 */
import { mintOcid } from './ids.js';
import { issueUserKey, openStore, type OciCredentials } from './credentials.js';
import { resolveOptions, type OciEmulatorOptions } from './options.js';
import { startEmulatorServer, type RequestLogEntry } from './server.js';
import { TokenIssuer } from './session-tokens.js';
import { lifecycleOf } from './store.js';
import { addBdsCluster, listStoredBdsKeys, type EmulatedBdsKeyInfo } from './bds/index.js';

export type { OciCredentials } from './credentials.js';
export type { OciEmulatorOptions, OciErrorChoice } from './options.js';
export type { RequestLogEntry } from './server.js';
export type { BdsEmulatorOptions, EmulatedBdsKeyInfo } from './bds/index.js';
export { fingerprintOf } from './public-key.js';
export { generateRsaKeyPair } from './credentials.js';
export { DEFAULT_SESSION_TTL_MS, writeSandboxSession, type SandboxSession, type SandboxSessionRequest } from './session-profile.js';

/** A key as `listKeys` shows it to tests (read straight from the store, no network). */
export interface EmulatedKeyInfo {
  readonly fingerprint: string;
  readonly lifecycleState: string;
  readonly timeCreated: string;
}

/** A running OCI Identity emulator. */
export interface OciEmulator {
  /** e.g. `http://127.0.0.1:PORT`, without the version: the SDK appends `/20160918`. */
  readonly url: string;
  /** Bootstrap tenancy-admin credentials (created on first start, kept in dataDir). */
  readonly admin: OciCredentials;
  /** Adds a user (a new OCID unless given) holding one ACTIVE key of its own. */
  addUser(userId?: string): Promise<OciCredentials>;
  /**
   * Signs a session token for `userId` (default: the admin) bound to `publicKeyPem`, as
   * OCI's auth service does for `oci session authenticate`; `ttlMs` may be negative (expired).
   */
  mintSessionToken(publicKeyPem: string, opts?: { readonly userId?: string; readonly ttlMs?: number }): string;
  /** The user's keys straight from the store (empty for unknown users). */
  listKeys(userId: string): readonly EmulatedKeyInfo[];
  /** Removes a key behind the API's back, as drift would. Throws when the key does not exist. */
  deleteKeyOutOfBand(userId: string, fingerprint: string): void;
  /** Served requests in order: method, raw path, status (never bodies or headers). */
  readonly requestLog: readonly RequestLogEntry[];
  /** Registers a BDS cluster (a new OCID unless given; compartment defaults to the tenancy) and returns its OCID. */
  addCluster(clusterId?: string, compartmentId?: string): string;
  /** The cluster's BDS keys straight from the store (empty for unknown clusters). */
  listBdsKeys(clusterId: string): readonly EmulatedBdsKeyInfo[];
  /**
   * There is none: no passphrase is ever stored or logged (only a salted hash per key).
   * Reading it throws; the type says so to anyone looking for one.
   */
  readonly passphraseLog: never;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startOciEmulator(options: OciEmulatorOptions = {}): Promise<OciEmulator> {
  const resolved = resolveOptions(options);
  const { store, admin } = await openStore(resolved);
  const log: RequestLogEntry[] = [];
  const tokens = TokenIssuer.open(resolved.dataDir);
  const server = await startEmulatorServer({ store, options: resolved, log, tokens });

  return {
    url: server.url,
    admin,
    async addUser(userId?: string): Promise<OciCredentials> {
      const id = userId ?? mintOcid('user');
      if (!id.startsWith('ocid1.user.')) throw new TypeError(`Expected \`userId\` to be a user OCID, got \`${id}\``);
      const creds = await issueUserKey(store, id, admin.region, resolved.keyLimit);
      store.commit();
      return creds;
    },
    mintSessionToken(publicKeyPem, opts = {}): string {
      const user = opts.userId ?? admin.user;
      store.sync();
      if (!store.hasUser(user)) {
        store.ensureUser(user);
        store.commit();
      }
      return tokens.mint({ tenancy: store.tenancy, user, publicKeyPem, now: Date.now(), ttlMs: opts.ttlMs ?? 3_600_000 });
    },
    listKeys(userId: string): readonly EmulatedKeyInfo[] {
      store.sync();
      const now = Date.now();
      return store.keysOf(userId).map((k) => ({ fingerprint: k.fingerprint, lifecycleState: lifecycleOf(k, now), timeCreated: k.timeCreated }));
    },
    deleteKeyOutOfBand(userId: string, fingerprint: string): void {
      store.sync();
      if (!store.removeKey(userId, fingerprint)) {
        throw new Error(`Expected user \`${userId}\` to hold a key \`${fingerprint}\` to delete`);
      }
      store.commit();
    },
    get requestLog(): readonly RequestLogEntry[] {
      return log;
    },
    addCluster(clusterId?: string, compartmentId?: string): string {
      return addBdsCluster(store, clusterId, compartmentId);
    },
    listBdsKeys(clusterId: string): readonly EmulatedBdsKeyInfo[] {
      return listStoredBdsKeys(store, clusterId);
    },
    get passphraseLog(): never {
      throw new Error('The OCI emulator keeps no passphrase log: passphrases are never stored or logged');
    },
    close: server.close,
  };
}
