/**
 * Heimdall failures as keyplan ProviderErrors with one-line, secret-free messages:
 * `dataos: CreateToken for user alice: 409: a token with this name already exists`.
 * An authentication failure names where the token came from (the environment variable),
 * never the token. Heimdall's error body is undocumented; `{status, message}` (the SDKs'
 * only error model) is read when present, otherwise the body's text.
 */
import { OwnerNotFoundError, ProviderError } from '../../errors/errors.js';
import { redactText } from '../../log/logger.js';
import { errorCode, fetchFailureCause } from '../shared/fetch-failure.js';

/** The Heimdall calls the adapter makes. */
export type HeimdallOperation = 'Authorize' | 'ListTokens' | 'CreateToken' | 'DeleteToken';

/** Stable codes of DataOS adapter errors. */
export const DATAOS_CODES = {
  settings: 'KP_DATAOS_E0001',
  tokenMissing: 'KP_DATAOS_E0002',
  unauthorized: 'KP_DATAOS_E0003',
  forbidden: 'KP_DATAOS_E0004',
  http: 'KP_DATAOS_E0005',
  network: 'KP_DATAOS_E0006',
  badResponse: 'KP_DATAOS_E0007',
  deleteUnconfirmed: 'KP_DATAOS_E0008',
  nameTaken: 'KP_DATAOS_E0009',
  /** Heimdall answers 404 for the tokens of a declared `user`: no such user. */
  userNotFound: 'KP_DATAOS_E0010',
} as const;

/** What a failed call was about. */
export interface CallContext {
  /** Provider block name. */
  readonly provider: string;
  readonly operation: HeimdallOperation;
  /** Where the API token came from, e.g. `environment variable DATAOS_APIKEY`. */
  readonly tokenSource: string;
  /** The user whose tokens the call addressed. */
  readonly user?: string;
  /** keyplan key name, when the call was for a declared key. */
  readonly key?: string;
}

function prefix(ctx: CallContext): string {
  return `dataos: ${ctx.operation}${ctx.user === undefined ? '' : ` for user ${ctx.user}`}`;
}

/** The error of a non-2xx answer. */
export function httpError(ctx: CallContext, status: number, body: unknown): ProviderError {
  const detail = describeBody(status, body);
  const base = { provider: ctx.provider, operation: ctx.operation, key: ctx.key, statusCode: status, retryable: status === 429 || status >= 500 };
  if (status === 401) {
    return new ProviderError(`dataos: Heimdall rejected the API token from ${ctx.tokenSource} (${detail}); set it to a valid, unexpired DataOS API key`, {
      ...base,
      code: DATAOS_CODES.unauthorized,
    });
  }
  if (status === 403) {
    return new ProviderError(`${prefix(ctx)}: the API token from ${ctx.tokenSource} is not allowed to do this (${detail})`, {
      ...base,
      code: DATAOS_CODES.forbidden,
    });
  }
  return new ProviderError(`${prefix(ctx)}: ${detail}`, { ...base, code: DATAOS_CODES.http });
}

/**
 * A 404 from ListTokens of a declared user as an OwnerNotFoundError, which refresh turns
 * into `keys.yaml:12:11: keys[3].user: DataOS user … not found (…)` at every key naming it.
 */
export function userNotFound(error: ProviderError, ctx: { readonly provider: string; readonly user: string; readonly kind: string }): OwnerNotFoundError {
  // The wrapped message is `dataos: ListTokens for user X: 404: <Heimdall's words>`; keep the words.
  const said = error.message.slice(error.message.indexOf(': 404') + 2);
  return new OwnerNotFoundError(`DataOS user ${ctx.user} not found (ListTokens answered ${said})`, {
    code: DATAOS_CODES.userNotFound,
    provider: ctx.provider,
    operation: 'ListTokens',
    statusCode: 404,
    retryable: false,
    ownerField: 'user',
    owner: ctx.user,
    kind: ctx.kind,
    cause: error,
  });
}

/** The error of a call that got no answer (refused, reset, timed out). */
export function networkError(ctx: CallContext, origin: string, cause: unknown): ProviderError {
  const inner = fetchFailureCause(cause);
  const errno = errorCode(inner);
  const code = errno === undefined ? '' : ` (${errno})`;
  const text = inner instanceof Error ? inner.message : String(inner);
  return new ProviderError(`${prefix(ctx)}: no answer from ${origin}: ${scrub(text)}${code}`, {
    provider: ctx.provider,
    operation: ctx.operation,
    key: ctx.key,
    retryable: true,
    code: DATAOS_CODES.network,
    cause,
  });
}

/** The error of a 2xx answer keyplan cannot use. */
export function badResponse(ctx: CallContext, what: string): ProviderError {
  return new ProviderError(`${prefix(ctx)}: unexpected answer from Heimdall: ${what}`, {
    provider: ctx.provider,
    operation: ctx.operation,
    key: ctx.key,
    retryable: false,
    code: DATAOS_CODES.badResponse,
  });
}

/** `409: message` from a `{status, message}` body, or the status and the body's text. */
function describeBody(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    return `${status}: ${scrub((body as { message: string }).message)}`;
  }
  const text = typeof body === 'string' ? scrub(body) : '';
  return text === '' ? `HTTP ${status}` : `${status}: ${text}`;
}

/**
 * Text from the network, made safe for a message: every known secret (the API token,
 * tokens created in this run) replaced, whitespace collapsed, length capped.
 */
export function scrub(text: string): string {
  return redactText(text).replace(/\s+/g, ' ').trim().slice(0, 300);
}
