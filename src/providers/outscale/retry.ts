/**
 * Retry timing of OAPI calls. OUTSCALE throttles in three layers (429 codes 24/25, 503
 * code 6) and its SDKs retry 408/429/5xx with exponential backoff from 1 s, capped at
 * 30 s, plus up to 1 s of jitter (providers/outscale-dataos.md §A4). No `Retry-After` is
 * documented, but one is honoured when sent, within the same cap.
 */

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Attempts per call, the first included; 1 turns retries off. @default 4 */
  readonly maxAttempts: number;
  /** Pause before the second attempt; doubles each time. @default 1000 */
  readonly baseDelayMs: number;
  /** Longest pause, also the cap on a Retry-After. @default 30000 */
  readonly maxDelayMs: number;
}

/** The SDKs' policy. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * The pause after failed attempt number `attempt` (1 = the first). `retryAfter` is the
 * header as sent: delta seconds or an HTTP date. `random` returns [0, 1).
 */
export function retryDelay(attempt: number, retryAfter: string | undefined, policy: RetryPolicy, now: number, random: () => number): number {
  const hinted = retryAfterMs(retryAfter, now);
  if (hinted !== undefined) return Math.min(Math.max(hinted, 0), policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  // Jitter spreads clients that were throttled together; at most 1 s, as the SDKs do.
  const jitter = random() * Math.min(1000, policy.baseDelayMs);
  return Math.min(exponential + jitter, policy.maxDelayMs);
}

/** Milliseconds a Retry-After header asks for, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date - now;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
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
