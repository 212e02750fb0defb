/**
 * Options of the OCI Identity emulator and their defaults. Behaviours the vendor does not
 * document (the error for a 4th key, for a duplicate fingerprint) are options, so a test
 * or a user who learns the real answer can switch to it without touching the code.
 */
import {
  nonNegative,
  resolveNewKeyAuth,
  resolveServerOptions,
  type NewKeyAuthOptions,
  type ResolvedNewKeyAuth,
  type ResolvedServerOptions,
} from '../shared/index.js';
import { resolveBdsOptions, type BdsEmulatorOptions, type ResolvedBdsOptions } from './bds/options.js';

/** An HTTP status and OCI error code pair, for the undocumented error answers. */
export interface OciErrorChoice {
  readonly status: number;
  readonly code: string;
}

/**
 * How to start the OCI Identity emulator. `newKeyAuthDelayMs` / `newKeysNeverAuthenticate`
 * (shared/new-key-auth.ts) make uploaded keys answer 401 NotAuthenticated for a while or for
 * good, as OCI does while a new key propagates; they also fail BDS connection tests of new BDS keys.
 */
export interface OciEmulatorOptions extends NewKeyAuthOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Folder for the persisted store and the bootstrap admin key; none keeps everything in memory. */
  dataDir?: string;
  /** Delay added before every response, in ms. @default 0 */
  latencyMs?: number;
  /** Fraction (0..1) of requests answered 429 TooManyRequests or 500 InternalServerError. @default 0 */
  failRate?: number;
  /** Seed that makes fault injection deterministic; without one it uses Math.random. */
  seed?: number;
  /** API keys one user may hold. @default 3 */
  keyLimit?: number;
  /** Answer to an upload beyond `keyLimit` (undocumented by OCI: a guess). @default {status: 400, code: 'LimitExceeded'} */
  limitError?: OciErrorChoice;
  /** Answer to an upload of a key the user already has (undocumented: a guess). @default {status: 409, code: 'Conflict'} */
  duplicateError?: OciErrorChoice;
  /** Largest accepted distance between the signed date and the emulator's clock, in ms. @default 300000 */
  clockSkewMs?: number;
  /** How long an uploaded key stays CREATING, in ms; 0 makes it ACTIVE by the next read. @default 0 */
  activateAfterMs?: number;
  /** Accept any `ocid1.user.` id as a user of the tenancy (the sandbox does). @default false */
  autoCreateUsers?: boolean;
  /** Region reported in the bootstrap credentials. @default 'us-ashburn-1' */
  region?: string;
  /** The Big Data Service routes (`/20190531/…`) on the same server (bds/options.ts). @default {} */
  bds?: BdsEmulatorOptions;
}

/** Options with every default filled in. */
export interface ResolvedOptions extends ResolvedServerOptions, ResolvedNewKeyAuth {
  readonly keyLimit: number;
  readonly limitError: OciErrorChoice;
  readonly duplicateError: OciErrorChoice;
  readonly clockSkewMs: number;
  readonly activateAfterMs: number;
  readonly autoCreateUsers: boolean;
  readonly region: string | undefined;
  readonly bds: ResolvedBdsOptions;
}

/** The region the bootstrap credentials name when neither the options nor the store say. */
export const DEFAULT_REGION = 'us-ashburn-1';

function errorChoice(name: string, value: OciErrorChoice | undefined, fallback: OciErrorChoice): OciErrorChoice {
  const v = value ?? fallback;
  if (!Number.isInteger(v.status) || v.status < 400 || v.status > 599 || v.code.length === 0) {
    throw new TypeError(`Expected \`${name}\` to be {status: 4xx|5xx, code: non-empty}, got \`${JSON.stringify(value)}\``);
  }
  return { status: v.status, code: v.code };
}

/** Fills in defaults and rejects values that make no sense (programmer errors). */
export function resolveOptions(options: OciEmulatorOptions = {}): ResolvedOptions {
  const server = resolveServerOptions(options);
  const keyLimit = nonNegative('keyLimit', options.keyLimit, 3);
  if (!Number.isInteger(keyLimit) || keyLimit < 1) {
    throw new TypeError(`Expected \`keyLimit\` to be an integer >= 1, got \`${keyLimit}\``);
  }
  return {
    ...server,
    ...resolveNewKeyAuth(options),
    keyLimit,
    // [guess] providers/oci.md §1.3: no public source names the 4th-key error.
    limitError: errorChoice('limitError', options.limitError, { status: 400, code: 'LimitExceeded' }),
    // [guess] providers/oci.md §1.3: duplicate-fingerprint upload is undocumented.
    duplicateError: errorChoice('duplicateError', options.duplicateError, { status: 409, code: 'Conflict' }),
    clockSkewMs: nonNegative('clockSkewMs', options.clockSkewMs, 300_000),
    activateAfterMs: nonNegative('activateAfterMs', options.activateAfterMs, 0),
    autoCreateUsers: options.autoCreateUsers ?? false,
    region: options.region,
    bds: resolveBdsOptions(options.bds),
  };
}
