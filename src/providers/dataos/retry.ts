/**
 * Retries of Heimdall calls: throttling (429), server errors (5xx) and failures without
 * an answer are tried again with capped exponential backoff and jitter, honouring a
 * `Retry-After` header when one comes (none is documented for Heimdall). The DataOS
 * Python SDK retries 500/502/503/504 three times; keyplan adds 429 and network errors.
 * The policy's shape and the pause itself are shared with the outscale adapter
 * (../shared/retry.ts); the timing below is DataOS's own.
 */
import { doublingDelayMs, type RetryPolicy } from '../shared/retry.js';

// Re-exported so each adapter's policy and its DEFAULT_RETRY are imported from one place.
export type { RetryPolicy } from '../shared/retry.js';

/** The policy for real Heimdall instances: 4 attempts, pauses from 0.5 s doubling up to 8 s. */
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
  const exp = doublingDelayMs(policy, attempt);
  return Math.min(exp * (0.5 + random() / 2), policy.maxDelayMs);
}
