/**
 * Error answers of the emulator. Heimdall's error body is not documented; the only error
 * model in the SDKs is `{status: int, message: str}` (inside authorize responses), so
 * every non-2xx answer uses that shape [guess, providers/outscale-dataos.md B2].
 */

/** An error answer: HTTP status, the message sent, and a detail kept for the request log only. */
export class HeimdallHttpError extends Error {
  readonly status: number;
  /** Why the emulator refused; logged, never sent. */
  readonly detail: string | undefined;

  constructor(status: number, message: string, detail?: string) {
    super(message);
    this.name = 'HeimdallHttpError';
    this.status = status;
    this.detail = detail;
  }

  /** The response body. */
  body(): string {
    return JSON.stringify({ status: this.status, message: this.message });
  }
}

/** 401 for a missing, malformed, unknown or expired token (one message: no oracle for which). */
export function unauthorized(detail: string): HeimdallHttpError {
  return new HeimdallHttpError(401, 'unauthorized: a valid apikey or bearer token is required', detail);
}

/** What an injected fault answers, by its draw in [0, 1): 429 or 500 in equal shares. */
export function injectedFault(draw: number): HeimdallHttpError {
  return draw < 0.5 ? new HeimdallHttpError(429, 'too many requests', 'injected fault') : new HeimdallHttpError(500, 'internal server error', 'injected fault');
}
