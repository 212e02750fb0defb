/**
 * What the fetch-based adapters share about retrying HTTP calls: the
 * shape of a policy, the doubling step, and an abortable pause. How long to wait is the
 * provider's own decision and stays in its retry.ts: each follows its provider's SDKs
 * (jitter, which Retry-After forms count, which statuses are worth another attempt).
 * Every loop tells its adapter's `onRetry` (ConfigureRequest) before it pauses, so a
 * waiting run says why on stderr.
 */
import type { RetryNotice } from '../contract.js';

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

/** `ReadAccessKeys: 429, retrying in 2s (attempt 2 of 4)`: the line a person sees for a retry. */
export function retryMessage(n: RetryNotice): string {
  return `${n.operation}: ${n.reason}, retrying in ${formatPause(n.delayMs)} (attempt ${n.attempt} of ${n.maxAttempts})`;
}

/** Whole seconds from 10 s up, tenths below (jitter makes 1.37 s; "1.4s" says enough). */
function formatPause(ms: number): string {
  const seconds = ms / 1000;
  return seconds >= 10 ? `${Math.round(seconds)}s` : `${Number(seconds.toFixed(1))}s`;
}
