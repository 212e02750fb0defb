/**
 * OAPI error responses as keyplan ProviderErrors with one-line, secret-free messages:
 * `outscale: CreateAccessKey for user etl-bot: 400 TooManyResources 10005: too-many-accesskeys (RequestId …)`.
 *
 * The body shape is `{"Errors":[{"Type","Code","Details"}],"ResponseContext":{"RequestId"}}`
 * with `Code` a string (providers/outscale-dataos.md §A4). Anything else (an HTML page
 * from a proxy, an empty body) is reported by status alone and never quoted.
 */
import { OwnerNotFoundError, ProviderError } from '../../errors/errors.js';
import { OSC_CODES } from './codes.js';
import { errorCode, fetchFailureCause } from '../shared/fetch-failure.js';

/** The OAPI actions this adapter calls. */
export type OapiAction = 'ReadAccessKeys' | 'CreateAccessKey' | 'UpdateAccessKey' | 'DeleteAccessKey';

/** One entry of `Errors`. */
export interface OapiErrorItem {
  readonly type: string;
  readonly code: string;
  readonly details: string;
}

/** A failed HTTP exchange, as far as the body could be read. */
export interface OapiFailure {
  readonly status: number;
  readonly errors: readonly OapiErrorItem[];
  readonly requestId?: string;
  /** The `Retry-After` header, as sent. */
  readonly retryAfter?: string;
}

/** What the call was about, for the message. */
export interface OapiCallContext {
  /** Provider block name. */
  readonly provider: string;
  readonly action: OapiAction;
  /** EIM user name, or undefined for the caller's own keys. */
  readonly userName?: string;
  /** keyplan key name, when the call is for a declared key. */
  readonly key?: string;
}

/** Error codes that mean "no such access key" (4000 access-keys-not-found, 5027 no-such-key). */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['4000', '5027']);

/** Statuses a retry may cure: timeouts, throttling (429 codes 24/25, 503 code 6) and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Reads the error items and request id out of a non-2xx body; never throws. */
export function parseFailure(status: number, body: string, retryAfter?: string | null): OapiFailure {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const o = isRecord(parsed) ? parsed : {};
  const errors = (Array.isArray(o['Errors']) ? o['Errors'] : []).filter(isRecord).map((e) => ({
    type: typeof e['Type'] === 'string' ? e['Type'] : '',
    // The spec says string; a number from an older gateway is accepted too.
    code: typeof e['Code'] === 'string' || typeof e['Code'] === 'number' ? String(e['Code']) : '',
    details: typeof e['Details'] === 'string' ? e['Details'] : '',
  }));
  const context = isRecord(o['ResponseContext']) ? o['ResponseContext'] : {};
  const requestId = typeof context['RequestId'] === 'string' && context['RequestId'] !== '' ? context['RequestId'] : undefined;
  return {
    status,
    errors,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(retryAfter !== undefined && retryAfter !== null ? { retryAfter } : {}),
  };
}

/** Whether the failure says the access key does not exist. */
export function isNotFound(failure: OapiFailure): boolean {
  return failure.errors.some((e) => NOT_FOUND_CODES.has(e.code));
}

/** The ProviderError for an HTTP error answer. */
export function failureError(failure: OapiFailure, ctx: OapiCallContext): ProviderError {
  const first = failure.errors[0];
  const what = first === undefined ? '(no OUTSCALE error body)' : [first.type, first.code].filter((t) => t !== '').join(' ');
  const details = first === undefined ? '' : scrub(first.details);
  const more = failure.errors.length > 1 ? ` (+${failure.errors.length - 1} more)` : '';
  const rid = failure.requestId === undefined ? '' : ` (RequestId ${failure.requestId})`;
  return new ProviderError(`${prefix(ctx)}: ${failure.status} ${what}${details === '' ? '' : `: ${details}`}${more}${rid}`, {
    provider: ctx.provider,
    operation: ctx.action,
    ...(ctx.key !== undefined ? { key: ctx.key } : {}),
    retryable: isRetryableStatus(failure.status),
    statusCode: failure.status,
    ...(first?.code ? { serviceCode: first.code } : {}),
    ...(failure.requestId !== undefined ? { requestId: failure.requestId } : {}),
  });
}

/** OAPI's error code for an EIM user that does not exist (5075 no-such-user, InvalidResource). */
const NO_SUCH_USER = '5075';

/** Whether `error` says the EIM user a call named does not exist. */
export function isUnknownUser(error: unknown): error is ProviderError {
  return error instanceof ProviderError && (error.serviceCode === NO_SUCH_USER || error.statusCode === 404);
}

/**
 * ReadAccessKeys' refusal of an unknown EIM user as an OwnerNotFoundError, which refresh
 * turns into `keys.yaml:12:16: keys[3].user_name: OUTSCALE EIM user … not found (…)` at
 * every key naming the user.
 */
export function userNotFound(error: ProviderError, ctx: { readonly provider: string; readonly userName: string; readonly kind: string }): OwnerNotFoundError {
  const rid = error.requestId === undefined ? '' : ` (RequestId ${error.requestId})`;
  const code = error.serviceCode === undefined ? '' : ` ${error.serviceCode}`;
  return new OwnerNotFoundError(`OUTSCALE EIM user ${ctx.userName} not found (ReadAccessKeys answered ${error.statusCode ?? 'an error'}${code})${rid}`, {
    code: OSC_CODES.userNotFound,
    provider: ctx.provider,
    operation: 'ReadAccessKeys',
    retryable: false,
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    ...(error.serviceCode === undefined ? {} : { serviceCode: error.serviceCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ownerField: 'user_name',
    owner: ctx.userName,
    kind: ctx.kind,
    cause: error,
  });
}

/** The ProviderError for a request that got no HTTP answer (refused, reset, timed out). */
export function networkError(error: unknown, ctx: OapiCallContext, url: URL): ProviderError {
  const errno = errorCode(fetchFailureCause(error));
  const code = errno === undefined ? '' : ` (${errno})`;
  const name = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'no response';
  return new ProviderError(`${prefix(ctx)}: ${name} from ${url.origin}${code}`, {
    provider: ctx.provider,
    operation: ctx.action,
    ...(ctx.key !== undefined ? { key: ctx.key } : {}),
    retryable: true,
    cause: error,
  });
}

/** `outscale: Action for user X` / `… for the caller's own keys`. */
export function prefix(ctx: OapiCallContext): string {
  return `outscale: ${ctx.action} ${ctx.userName === undefined ? "for the caller's own keys" : `for user ${ctx.userName}`}`;
}

/**
 * Text from the network, made safe for one log line: a run of 40 uppercase letters and
 * digits has the shape of a secret key (a misbehaving endpoint echoing a create answer
 * must not put one in a message), line breaks collapse, length is capped.
 */
export function scrub(text: string): string {
  return text
    .replace(/[A-Z0-9]{40}/g, '(redacted)')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
