/**
 * Retries of Heimdall calls: throttling (429), server errors (5xx) and failures without
 * an answer are tried again with capped exponential backoff and jitter, honouring a
 * `Retry-After` header when one comes (none is documented for Heimdall). The DataOS
 * Python SDK retries 500/502/503/504 three times; keyplan adds 429 and network errors.
 */

/** How many times and how patiently a call is retried. */
export interface RetryPolicy {
  /** Attempts including the first; 1 turns retries off. @default 4 */
  readonly maxAttempts: number;
  /** Pause before the first retry, doubled each time, in ms. @default 500 */
  readonly baseDelayMs: number;
  /** Longest pause between attempts, in ms (also caps Retry-After). @default 8000 */
  readonly maxDelayMs: number;
}

/** The policy for real Heimdall instances. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Whether an HTTP status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The pause before attempt `attempt + 1` (attempt counts from 1): `Retry-After` seconds
 * when given, otherwise base·2^(attempt-1) with up to 50 % jitter; both capped.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter: string | null, random: () => number = Math.random): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(exp * (0.5 + random() / 2), policy.maxDelayMs);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
