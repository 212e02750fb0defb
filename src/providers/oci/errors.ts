/**
 * Turns whatever the OCI SDK throws into a keyplan ProviderError with a one-line,
 * secret-free message: `oci: UploadApiKey for user ocid1.user…: 400 LimitExceeded:
 * <service message> (opc-request-id X)`.
 *
 * The SDK throws three shapes (providers/oci.md §1.6, §5.3): `OciError` for HTTP error
 * responses; an `OciError` whose `statusCode` is the string "EOPENBREAKER" when its
 * circuit breaker is open; and a plain `{code, message, requestEndpoint}` object (not an
 * Error) when the request never got a response (connection refused, reset, DNS).
 */
import * as common from 'oci-common';
import { OwnerNotFoundError, ProviderError } from '../../errors/errors.js';
import { OCI_CODES } from './codes.js';

/** The Identity operations this adapter calls, named as in the OCI API reference. */
export type OciOperation = 'ListApiKeys' | 'UploadApiKey' | 'DeleteApiKey';

/** What the failed call was about, for the message. */
export interface OciErrorContext {
  /** Provider block name, e.g. `oci`. */
  readonly provider: string;
  readonly operation: OciOperation;
  /** User OCID whose keys the call addressed. */
  readonly user: string;
  /** keyplan key name, when the call was for a declared key. */
  readonly key?: string;
  /** Appended to a 401's message: whose credentials were refused and how to renew them. */
  readonly refusedHint?: string;
}

/** The HTTP error fields of an OciError, read without trusting the object's class. */
export interface OciErrorInfo {
  readonly statusCode: number;
  readonly serviceCode: string;
  readonly message: string;
  readonly requestId?: string;
}

/** Reads an HTTP error response out of `err`, or undefined if `err` is not one. */
export function ociErrorInfo(err: unknown): OciErrorInfo | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  // Duck-typed as well as instanceof: a second oci-common copy in node_modules would
  // make instanceof fail (providers/oci.md §5.1).
  const e = err as Partial<common.OciError>;
  if (!(err instanceof common.OciError) && typeof e.serviceCode !== 'string') return undefined;
  if (typeof e.statusCode !== 'number' || e.statusCode <= 0) return undefined;
  return {
    statusCode: e.statusCode,
    serviceCode: e.serviceCode ?? 'None',
    message: typeof e.message === 'string' ? e.message : '',
    requestId: typeof e.opcRequestId === 'string' && e.opcRequestId !== '' ? e.opcRequestId : undefined,
  };
}

/** True for a 404 (`NotAuthorizedOrNotFound` or similar). */
export function isNotFound(err: unknown): boolean {
  return ociErrorInfo(err)?.statusCode === 404;
}

/**
 * Whether a retry may cure the failure: throttling, 5xx, 409 IncorrectState (the SDK's
 * own list, §5.3), an open circuit breaker, and failures without any response.
 */
export function isRetryable(err: unknown): boolean {
  const info = ociErrorInfo(err);
  if (info === undefined) return true;
  const { statusCode: s, serviceCode } = info;
  return s === 429 || s >= 500 || (s === 409 && serviceCode === 'IncorrectState');
}

/**
 * A 404 from ListApiKeys of a declared user as an OwnerNotFoundError, which refresh turns
 * into `keys.yaml:12:11: keys[3].user: OCI user … not found (…)` at every key naming the
 * user. OCI answers the same 404 when the caller may not read the user, so both are said.
 */
export function userNotFound(error: ProviderError, ctx: { readonly provider: string; readonly user: string; readonly kind: string }): OwnerNotFoundError {
  const rid = error.requestId === undefined ? '' : ` (opc-request-id ${error.requestId})`;
  const why = `ListApiKeys answered 404 ${error.serviceCode ?? 'NotAuthorizedOrNotFound'}: no such user, or provider "${ctx.provider}" may not read its API keys`;
  return new OwnerNotFoundError(`OCI user ${ctx.user} not found (${why})${rid}`, {
    code: OCI_CODES.userNotFound,
    provider: ctx.provider,
    operation: 'ListApiKeys',
    statusCode: 404,
    ...(error.serviceCode === undefined ? {} : { serviceCode: error.serviceCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    retryable: false,
    ownerField: 'user',
    owner: ctx.user,
    kind: ctx.kind,
    cause: error,
  });
}

/** Wraps `err` (anything the SDK threw) into a ProviderError for `ctx`. */
export function toProviderError(err: unknown, ctx: OciErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const prefix = `oci: ${ctx.operation} for user ${ctx.user}`;
  const base = { provider: ctx.provider, operation: ctx.operation, key: ctx.key, cause: err };
  const info = ociErrorInfo(err);
  if (info !== undefined) {
    const rid = info.requestId === undefined ? '' : ` (opc-request-id ${info.requestId})`;
    const text = scrub(info.message);
    const hint = info.statusCode === 401 && ctx.refusedHint !== undefined ? `; ${ctx.refusedHint}` : '';
    return new ProviderError(`${prefix}: ${info.statusCode} ${info.serviceCode}${text === '' ? '' : `: ${text}`}${rid}${hint}`, {
      ...base,
      statusCode: info.statusCode,
      serviceCode: info.serviceCode,
      requestId: info.requestId,
      retryable: isRetryable(err),
    });
  }
  const o = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  if (o['statusCode'] === 'EOPENBREAKER') {
    return new ProviderError(`${prefix}: the SDK circuit breaker is open; calls are refused for 30 s`, {
      ...base,
      retryable: true,
    });
  }
  const code = typeof o['code'] === 'string' ? ` (${o['code']})` : '';
  const msg = typeof o['message'] === 'string' ? scrub(o['message']) : scrub(String(err));
  // The SDK drops the socket error's cause (ECONNREFUSED …), so at least say where it went.
  const where = originOf(o['requestEndpoint']);
  return new ProviderError(`${prefix}: no response from ${where ?? 'the service'}: ${msg}${code}`, {
    ...base,
    retryable: true,
  });
}

/** `https://host:port` out of the SDK's `"GET https://host/path"` endpoint string. */
function originOf(endpoint: unknown): string | undefined {
  if (typeof endpoint !== 'string') return undefined;
  try {
    return new URL(endpoint.slice(endpoint.indexOf(' ') + 1)).origin;
  } catch {
    return undefined;
  }
}

/**
 * Removes PEM blocks and newlines from text that came from the network or the SDK.
 * keyplan never sends private material, so this is a second line of defence (a
 * misbehaving endpoint echoing a request body must not put key text in a log line).
 */
export function scrub(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, '(PEM redacted)')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}
