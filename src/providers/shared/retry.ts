/**
 * What the fetch-based adapters share about retrying HTTP calls: the
 * shape of a policy, the doubling step, and an abortable pause. How long to wait is the
 * provider's own decision and stays in its retry.ts: each follows its provider's SDKs
 * (jitter, which Retry-After forms count, which statuses are worth another attempt).
 */

/** How many times and how patiently a call is retried; each provider has its defaults. */
export interface RetryPolicy {
  /** Attempts per call, the first included; 1 turns retries off. */
  readonly maxAttempts: number;
  /** Pause before the second attempt, in ms; doubles each time. */
  readonly baseDelayMs: number;
  /** Longest pause between attempts, in ms, also the cap on a Retry-After. */
  readonly maxDelayMs: number;
}

/** `baseDelayMs · 2^(attempt-1)` after failed attempt number `attempt` (1 = the first), before jitter and cap. */
export function doublingDelayMs(policy: RetryPolicy, attempt: number): number {
  return policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first (or already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Nothing to wait for: resolve without a timer turn (a zero Retry-After, a past date).
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
