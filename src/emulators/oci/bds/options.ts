/**
 * Options of the Big Data Service part of the OCI emulator. What providers/oci.md marks as
 * a guess (the alias errors, whether BDS keys share the user's IAM key slots, whether the
 * passphrase must be base64) is an option here, so the real answer can be switched in.
 */
import type { OciErrorChoice } from '../options.js';

/** How the BDS routes behave (`startOciEmulator({ bds: … })`). */
export interface BdsEmulatorOptions {
  /** Accept any `ocid1.bigdataservice.` id as an existing cluster (the sandbox does). @default false */
  autoCreateClusters?: boolean;
  /**
   * A BDS key takes one of its user's IAM API key slots and shows in ListApiKeys with the
   * same fingerprint ([inference] providers/oci.md §2.4). Off: BDS keys are separate and
   * no per-user limit applies to them. @default true
   */
  sharedSlots?: boolean;
  /** GETs of a work request that still find it IN_PROGRESS; 0 finishes it before the first GET. @default 0 */
  workRequestPolls?: number;
  /** Fraction (0..1) of create/delete work requests that end FAILED with an error entry (fault tests). @default 0 */
  failWorkRequests?: number;
  /** Refuse a passphrase that is not base64 ([guess]: the field doc says "Base64 passphrase"). @default false */
  validateBase64Passphrase?: boolean;
  /** Answer to a keyAlias that is not ASCII alphanumeric ([guess]). @default {status: 400, code: 'InvalidParameter'} */
  invalidAliasError?: OciErrorChoice;
  /** Answer to a keyAlias the cluster already uses ([guess]). @default {status: 409, code: 'Conflict'} */
  duplicateAliasError?: OciErrorChoice;
  /** Items per page when ListBdsApiKeys/ListWorkRequestErrors get no `limit` ([guess]). @default 25 */
  defaultPageSize?: number;
}

/** BDS options with every default filled in. */
export interface ResolvedBdsOptions {
  readonly autoCreateClusters: boolean;
  readonly sharedSlots: boolean;
  readonly workRequestPolls: number;
  readonly failWorkRequests: number;
  readonly validateBase64Passphrase: boolean;
  readonly invalidAliasError: OciErrorChoice;
  readonly duplicateAliasError: OciErrorChoice;
  readonly defaultPageSize: number;
}

function wholeNumber(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new TypeError(`Expected \`bds.${name}\` to be an integer >= ${min}, got \`${String(value)}\``);
  return v;
}

function errorChoice(name: string, value: OciErrorChoice | undefined, fallback: OciErrorChoice): OciErrorChoice {
  const v = value ?? fallback;
  if (!Number.isInteger(v.status) || v.status < 400 || v.status > 599 || v.code.length === 0) {
    throw new TypeError(`Expected \`bds.${name}\` to be {status: 4xx|5xx, code: non-empty}, got \`${JSON.stringify(value)}\``);
  }
  return { status: v.status, code: v.code };
}

/** Fills in defaults and rejects values that make no sense (programmer errors). */
export function resolveBdsOptions(options: BdsEmulatorOptions = {}): ResolvedBdsOptions {
  const failWorkRequests = options.failWorkRequests ?? 0;
  if (!Number.isFinite(failWorkRequests) || failWorkRequests < 0 || failWorkRequests > 1) {
    throw new TypeError(`Expected \`bds.failWorkRequests\` to be within 0..1, got \`${String(options.failWorkRequests)}\``);
  }
  return {
    autoCreateClusters: options.autoCreateClusters ?? false,
    sharedSlots: options.sharedSlots ?? true,
    workRequestPolls: wholeNumber('workRequestPolls', options.workRequestPolls, 0, 0),
    failWorkRequests,
    validateBase64Passphrase: options.validateBase64Passphrase ?? false,
    // [guess] providers/oci.md §2.3: the errors for a bad or taken alias are undocumented.
    invalidAliasError: errorChoice('invalidAliasError', options.invalidAliasError, { status: 400, code: 'InvalidParameter' }),
    duplicateAliasError: errorChoice('duplicateAliasError', options.duplicateAliasError, { status: 409, code: 'Conflict' }),
    defaultPageSize: wholeNumber('defaultPageSize', options.defaultPageSize, 25, 1),
  };
}
