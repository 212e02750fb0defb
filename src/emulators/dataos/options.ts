/**
 * Options of the DataOS Heimdall emulator and their defaults. Heimdall has no public API
 * reference (providers/outscale-dataos.md Part B), so every behaviour the doc marks as a
 * guess or an inference is an option here: whoever learns the real answer switches it
 * without touching the handlers.
 */
import { resolveNewKeyAuth, resolveServerOptions, type NewKeyAuthOptions, type ResolvedNewKeyAuth, type ResolvedServerOptions } from '../shared/index.js';

/** How the token delete call is addressed. Both are guesses: no source shows the real route. */
export type DeleteRouteStyle =
  /** `DELETE /heimdall/api/v1/users/{id}/tokens/{name}` (name-keyed, like `dataos-ctl user apikey delete -n`). */
  | 'path'
  /** `DELETE /heimdall/api/v1/users/{id}/tokens?name={name}`. */
  | 'query';

/** How `POST authorize` answers a token it does not accept. */
export type InvalidAuthorizeStyle =
  /** 200 with `{allow: false, valid: false, error: {status: 401, message}}` (the SDK's response model has that `error`). */
  | 'body'
  /** 401 with the `{status, message}` error body. */
  | 'status';

/** An HTTP status and message for an undocumented error answer. */
export interface DataosErrorChoice {
  readonly status: number;
  readonly message: string;
}

/**
 * How to start the Heimdall emulator. With `newKeyAuthDelayMs` / `newKeysNeverAuthenticate`
 * (shared/new-key-auth.ts) a created token is refused (401) for a while or for good.
 */
export interface DataosEmulatorOptions extends NewKeyAuthOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Folder for the persisted store (mode 0600); none keeps everything in memory. */
  dataDir?: string;
  /** Delay added before every response, in ms. @default 0 */
  latencyMs?: number;
  /** Fraction (0..1) of requests answered 429 or 500. @default 0 */
  failRate?: number;
  /** Seed that makes fault injection deterministic; without one it uses Math.random. */
  seed?: number;
  /** The emulator's clock (expirations, expiry checks), epoch ms. @default Date.now */
  now?: () => number;
  /** Accept any user id in token paths as an existing user (the sandbox does). @default false */
  autoCreateUsers?: boolean;
  /** Id of the bootstrap user (an operator) created on first start. @default 'keyplan-sandbox' */
  bootstrapUserId?: string;
  /** [guess] Route of the token delete call. @default 'path' */
  deleteRoute?: DeleteRouteStyle;
  /** [guess] Answer to creating a name the user already has, without `use_existing`. @default {status: 409, …} */
  duplicateNameError?: DataosErrorChoice;
  /** [inference] Whether the token list carries each token's secret at `data.apikey` (the CLI's `get` prints full tokens). @default true */
  listRevealsToken?: boolean;
  /** [guess] How `authorize` rejects a token. @default 'body' */
  invalidAuthorize?: InvalidAuthorizeStyle;
}

/** Options with every default filled in. */
export interface ResolvedDataosOptions extends ResolvedServerOptions, ResolvedNewKeyAuth {
  readonly now: () => number;
  readonly autoCreateUsers: boolean;
  readonly bootstrapUserId: string;
  readonly deleteRoute: DeleteRouteStyle;
  readonly duplicateNameError: DataosErrorChoice;
  readonly listRevealsToken: boolean;
  readonly invalidAuthorize: InvalidAuthorizeStyle;
}

/** Tag that lets a user manage every user's tokens ([guess]: Heimdall's policy model is not public). */
export const OPERATOR_TAG = 'roles:id:operator';

/** What the user ids in this emulator may look like (lowercase ids such as `iamgroot`, emails). */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** Fills in defaults and rejects values that make no sense (programmer errors). */
export function resolveDataosOptions(options: DataosEmulatorOptions = {}): ResolvedDataosOptions {
  const server = resolveServerOptions(options);
  const bootstrapUserId = options.bootstrapUserId ?? 'keyplan-sandbox';
  if (!USER_ID_PATTERN.test(bootstrapUserId)) throw new TypeError(`Expected \`bootstrapUserId\` to be a user id, got \`${bootstrapUserId}\``);
  const dup = options.duplicateNameError ?? { status: 409, message: 'a token with this name already exists for the user' };
  if (!Number.isInteger(dup.status) || dup.status < 400 || dup.status > 599) {
    throw new TypeError(`Expected \`duplicateNameError.status\` to be 4xx or 5xx, got \`${dup.status}\``);
  }
  return {
    ...server,
    ...resolveNewKeyAuth(options),
    now: options.now ?? Date.now,
    autoCreateUsers: options.autoCreateUsers ?? false,
    bootstrapUserId,
    deleteRoute: options.deleteRoute ?? 'path',
    duplicateNameError: dup,
    listRevealsToken: options.listRevealsToken ?? true,
    invalidAuthorize: options.invalidAuthorize ?? 'body',
  };
}
