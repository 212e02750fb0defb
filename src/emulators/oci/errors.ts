/**
 * OCI error answers. Every error body carries both `code` and `message`: the TS SDK
 * reports `serviceCode: "None"` when either is missing (providers/oci.md §1.6).
 */

/** Message of every authentication failure, word for word as OCI sends it. */
export const NOT_AUTHENTICATED_MESSAGE = 'The required information to complete authentication was not provided or was incorrect.';

/** Message of 404 NotAuthorizedOrNotFound, as OCI sends it. */
export const NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE = 'Authorization failed or requested resource not found.';

/**
 * An error answer. `detail` is for the request log only (why a 401 happened); the client
 * never sees it, as real OCI never says which part of the authentication failed.
 */
export class OciHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;

  constructor(status: number, code: string, message: string, detail?: string) {
    super(message);
    this.name = 'OciHttpError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

/** 401 NotAuthenticated; `detail` says which check failed (log only). */
export function notAuthenticated(detail: string): OciHttpError {
  return new OciHttpError(401, 'NotAuthenticated', NOT_AUTHENTICATED_MESSAGE, detail);
}

/** 404 NotAuthorizedOrNotFound: unknown user or key, or a caller without rights over it. */
export function notAuthorizedOrNotFound(detail: string): OciHttpError {
  return new OciHttpError(404, 'NotAuthorizedOrNotFound', NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE, detail);
}

/** 400 InvalidParameter. */
export function invalidParameter(message: string): OciHttpError {
  return new OciHttpError(400, 'InvalidParameter', message);
}

/** What an injected fault answers, by its draw in [0, 1): 429 or 500 in equal shares. */
export function injectedFault(draw: number): OciHttpError {
  return draw < 0.5
    ? new OciHttpError(429, 'TooManyRequests', 'Too many requests for the tenant.', 'injected fault')
    : new OciHttpError(500, 'InternalServerError', 'Internal error occurred.', 'injected fault');
}
