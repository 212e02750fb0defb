/**
 * Retry timing of OAPI calls. OUTSCALE throttles in three layers (429 codes 24/25, 503
 * code 6) and its SDKs retry 408/429/5xx with exponential backoff from 1 s, capped at
 * 30 s, plus up to 1 s of jitter (providers/outscale-dataos.md §A4). No `Retry-After` is
 * documented, but one is honoured when sent, within the same cap. The policy's shape and
 * the pause itself are shared with the other fetch-based adapter (../shared/retry.ts).
 */
import { doublingDelayMs, type RetryPolicy } from '../shared/retry.js';

// Re-exported so each adapter's policy and its DEFAULT_RETRY are imported from one place.
export type { RetryPolicy } from '../shared/retry.js';

/** The SDKs' policy: 4 attempts, pauses from 1 s doubling up to 30 s. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * The pause after failed attempt number `attempt` (1 = the first). `retryAfter` is the
 * header as sent: delta seconds or an HTTP date. `random` returns [0, 1).
 */
export function retryDelay(attempt: number, retryAfter: string | undefined, policy: RetryPolicy, now: number, random: () => number): number {
  const hinted = retryAfterMs(retryAfter, now);
  if (hinted !== undefined) return Math.min(Math.max(hinted, 0), policy.maxDelayMs);
  const exponential = doublingDelayMs(policy, attempt);
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
