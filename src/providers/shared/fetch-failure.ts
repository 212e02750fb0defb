/**
 * Reading a failed `fetch`. Node's fetch rejects with a bare `TypeError: fetch failed`
 * and puts what happened (ECONNREFUSED, ECONNRESET, a TLS error) in `cause`; messages
 * and the "was it ever sent?" decision need that inner error, not the wrapper.
 */

/** The error that explains a failed fetch: its `cause` when that is an Error, else the error itself. */
export function fetchFailureCause(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}

/** The string `code` of an error-like value (`ECONNREFUSED`…), or undefined. */
export function errorCode(value: unknown): string | undefined {
  const code = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
