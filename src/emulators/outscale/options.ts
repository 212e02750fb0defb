/**
 * Options of the OUTSCALE emulator and their defaults. The answers the vendor does not
 * document (providers/outscale-dataos.md marks them [guess]) live in one table,
 * `GUESSED_ERRORS`, and each can be overridden through `errors`, so whoever learns the
 * real answer changes a setting, not the code.
 */
import {
  nonNegative,
  resolveNewKeyAuth,
  resolveServerOptions,
  type NewKeyAuthOptions,
  type ResolvedNewKeyAuth,
  type ResolvedServerOptions,
} from '../shared/index.js';

/** An HTTP status with the OUTSCALE error `Type` and string `Code`. */
export interface OscErrorChoice {
  readonly status: number;
  readonly code: string;
  readonly type: string;
}

/** The error answers no source pins down. */
export type GuessedError =
  | 'quotaExceeded'
  | 'unknownAccessKey'
  | 'unknownUser'
  | 'expirationInPast'
  | 'policyViolation'
  | 'deleteActiveUserKey'
  | 'missingParameter'
  | 'unknownAction'
  | 'otherUsersKeys'
  | 'internalError';

/**
 * Default answers. Only `quotaExceeded`'s code and type are sourced (py-sdk
 * gateway_errors.yaml: 10005 too-many-accesskeys); its status and everything else is a guess.
 */
export const GUESSED_ERRORS: Readonly<Record<GuessedError, OscErrorChoice>> = {
  // [code] 10005 TooManyResources (QuotaExceded); [guess] status 400 like the other parameter errors (issue #160).
  quotaExceeded: { status: 400, code: '10005', type: 'TooManyResources (QuotaExceded)' },
  // [guess] §A2: 4000 access-keys-not-found (alternative: 5027 no-such-key).
  unknownAccessKey: { status: 400, code: '4000', type: 'InvalidParameterValue' },
  // [guess] gateway_errors.yaml names 5075 no-such-user; status unknown.
  unknownUser: { status: 400, code: '5075', type: 'InvalidResource' },
  // [guess] §A2: no source says what the API does with a past ExpirationDate.
  expirationInPast: { status: 400, code: '4047', type: 'InvalidParameterValue' },
  // [guess] the spec says a key must honour MaxAccessKeyExpirationSeconds, not how a violation is refused.
  policyViolation: { status: 400, code: '4047', type: 'InvalidParameterValue' },
  // [guess] the spec says EIM keys must be INACTIVE before delete, not what refusing looks like: 6003 invalid-state.
  deleteActiveUserKey: { status: 400, code: '6003', type: 'InvalidState' },
  // [guess] not in gateway_errors.yaml (the doc notes that list lacks MissingParameter).
  missingParameter: { status: 400, code: '7000', type: 'MissingParameter' },
  // [guess] Gotcha 1: an unknown action is a JSON error, not an HTML 404.
  unknownAction: { status: 400, code: '5011', type: 'InvalidResource' },
  // [guess] an EIM user naming another user without EIM policies: code 4 unauthorized operation (v1.28.5 table).
  otherUsersKeys: { status: 401, code: '4', type: 'AccessDenied' },
  // [guess] injected 5xx: no 5xx code is documented.
  internalError: { status: 500, code: '2000', type: 'InternalError' },
};

/** Per-second limits of the three sequential limiters of §A4 (none = unlimited). */
export interface ThrottleLimits {
  /** Whole platform → 503, code 6. */
  readonly platformPerSecond?: number;
  /** Per account → 429, code 24. */
  readonly accountPerSecond?: number;
  /** Per account and action → 429, code 25. */
  readonly callPerSecond?: number;
}

/**
 * How to start the OUTSCALE emulator. With `newKeyAuthDelayMs` / `newKeysNeverAuthenticate`
 * (shared/new-key-auth.ts) a created key is refused with 401 code 1 for a while or for good,
 * as an unknown key is: its failures do not count towards the account's lockout.
 */
export interface OutscaleEmulatorOptions extends NewKeyAuthOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Folder for the persisted store (mode 0600, it holds secret keys); none keeps it in memory. */
  dataDir?: string;
  /** Region of the bootstrap credentials. @default 'eu-west-2' */
  region?: string;
  /** Account login (email) for Basic auth. @default 'sandbox@keyplan.invalid' */
  login?: string;
  /** Account password for Basic auth; generated on first start and persisted when not given. */
  password?: string;
  /** Delay added before every response, in ms. @default 0 */
  latencyMs?: number;
  /** Fraction (0..1) of requests answered 429 (code 24), 503 (code 6) or 500, in equal shares. @default 0 */
  failRate?: number;
  /** Seed that makes fault injection repeatable; without one it uses Math.random. */
  seed?: number;
  /** Real per-second limiters (§A4). @default none */
  throttle?: ThrottleLimits;
  /** Access keys per root account and per EIM user (About-Access-Keys). @default 10 */
  keyLimit?: number;
  /** Replay window: largest |signed timestamp − now|, in ms. @default 300000 */
  clockSkewMs?: number;
  /** Consecutive failed authentications that lock the account (401 code 13); 0 disables. @default 4 */
  lockoutAfter?: number;
  /** First lockout length in ms; each further `lockoutAfter` failures add as much, up to 10×. @default 60000 */
  lockoutMs?: number;
  /** Accept any UserName as an existing EIM user (the sandbox does). @default false */
  autoCreateUsers?: boolean;
  /** Require `State` on UpdateAccessKey, as before API 1.40.1. @default false */
  requireUpdateState?: boolean;
  /** `ApiAccessPolicy.MaxAccessKeyExpirationSeconds` (0 = unlimited). @default 0 */
  maxAccessKeyExpirationSeconds?: number;
  /** Overrides of the guessed error answers. */
  errors?: Partial<Record<GuessedError, OscErrorChoice>>;
  /** The emulator's clock, for tests of expiry and skew. @default Date.now */
  now?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedOptions extends ResolvedServerOptions, ResolvedNewKeyAuth {
  readonly region: string | undefined;
  readonly login: string | undefined;
  readonly password: string | undefined;
  readonly throttle: ThrottleLimits;
  readonly keyLimit: number;
  readonly clockSkewMs: number;
  readonly lockoutAfter: number;
  readonly lockoutMs: number;
  readonly autoCreateUsers: boolean;
  readonly requireUpdateState: boolean;
  readonly maxAccessKeyExpirationSeconds: number;
  readonly errors: Readonly<Record<GuessedError, OscErrorChoice>>;
  readonly now: () => number;
}

/** Region of the bootstrap credentials when neither options nor store say (spec default server). */
export const DEFAULT_REGION = 'eu-west-2';

/** Login of the bootstrap account when the options name none. */
export const DEFAULT_LOGIN = 'sandbox@keyplan.invalid';

function errorChoice(name: string, v: OscErrorChoice): OscErrorChoice {
  if (!Number.isInteger(v.status) || v.status < 400 || v.status > 599 || !/^\d+$/.test(v.code) || v.type.length === 0) {
    throw new TypeError(`Expected \`errors.${name}\` to be {status: 4xx|5xx, code: digits, type: non-empty}, got \`${JSON.stringify(v)}\``);
  }
  return { status: v.status, code: v.code, type: v.type };
}

/** Fills in defaults and rejects values that make no sense (programmer errors). */
export function resolveOptions(options: OutscaleEmulatorOptions = {}): ResolvedOptions {
  const server = resolveServerOptions(options, { integerPort: true });
  const keyLimit = nonNegative('keyLimit', options.keyLimit, 10, true);
  if (keyLimit < 1) throw new TypeError(`Expected \`keyLimit\` to be an integer >= 1, got \`${keyLimit}\``);
  const errors = { ...GUESSED_ERRORS };
  for (const [name, choice] of Object.entries(options.errors ?? {}) as [GuessedError, OscErrorChoice | undefined][]) {
    if (!Object.hasOwn(GUESSED_ERRORS, name)) throw new TypeError(`Expected \`errors\` to name a guessed error, got \`${name}\``);
    if (choice !== undefined) errors[name] = errorChoice(name, choice);
  }
  const t = options.throttle ?? {};
  return {
    ...server,
    ...resolveNewKeyAuth(options),
    region: options.region,
    login: options.login,
    password: options.password,
    throttle: {
      ...(t.platformPerSecond === undefined ? {} : { platformPerSecond: nonNegative('throttle.platformPerSecond', t.platformPerSecond, 0, true) }),
      ...(t.accountPerSecond === undefined ? {} : { accountPerSecond: nonNegative('throttle.accountPerSecond', t.accountPerSecond, 0, true) }),
      ...(t.callPerSecond === undefined ? {} : { callPerSecond: nonNegative('throttle.callPerSecond', t.callPerSecond, 0, true) }),
    },
    keyLimit,
    clockSkewMs: nonNegative('clockSkewMs', options.clockSkewMs, 300_000),
    lockoutAfter: nonNegative('lockoutAfter', options.lockoutAfter, 4, true),
    lockoutMs: nonNegative('lockoutMs', options.lockoutMs, 60_000),
    autoCreateUsers: options.autoCreateUsers ?? false,
    requireUpdateState: options.requireUpdateState ?? false,
    maxAccessKeyExpirationSeconds: nonNegative('maxAccessKeyExpirationSeconds', options.maxAccessKeyExpirationSeconds, 0, true),
    errors,
    now: options.now ?? Date.now,
  };
}
