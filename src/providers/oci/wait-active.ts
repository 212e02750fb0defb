/**
 * Waiting for an uploaded API key to leave CREATING. Identity has no GetApiKey and the
 * SDK has no waiter for API keys (providers/oci.md §5.5), so the adapter polls
 * ListApiKeys; this module owns only the loop: growing pauses, a deadline, the signal.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type * as identity from 'oci-identity';

type ApiKey = identity.models.ApiKey;

/** Timing of {@link waitUntilActive}. */
export interface WaitActiveOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** First pause between polls; doubled after each poll. */
  readonly pollIntervalMs: number;
  /** Longest pause between polls. */
  readonly maxPollIntervalMs: number;
  /** Aborts the wait between polls (the sleep rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/** The outcome: the ACTIVE key, or why waiting stopped. */
export type WaitActiveResult = { readonly ok: true; readonly key: ApiKey } | { readonly ok: false; readonly why: string; readonly retryable: boolean };

/**
 * Polls until the key is ACTIVE. `initial` is the upload's answer (checked first, so an
 * immediately ACTIVE key costs no list call); `poll` returns the key's current record,
 * or undefined when the list no longer contains it. Errors from `poll` propagate.
 */
export async function waitUntilActive(
  initial: ApiKey | undefined,
  poll: () => Promise<ApiKey | undefined>,
  options: WaitActiveOptions,
): Promise<WaitActiveResult> {
  const deadline = Date.now() + options.timeoutMs;
  // An upload answer without a state (a lenient endpoint) says nothing yet: ask the list.
  let current = initial?.lifecycleState === undefined ? await poll() : initial;
  let pause = options.pollIntervalMs;
  for (;;) {
    const state = current?.lifecycleState;
    if (current !== undefined && state === 'ACTIVE') return { ok: true, key: current };
    if (state === undefined) return { ok: false, why: 'disappeared before it became ACTIVE', retryable: false };
    // Anything but CREATING (INACTIVE, DELETING, DELETED) will not turn ACTIVE by waiting.
    if (state !== 'CREATING') return { ok: false, why: `is ${state} instead of ACTIVE`, retryable: false };
    const left = deadline - Date.now();
    if (left <= 0) {
      return { ok: false, why: `was still CREATING after ${Math.round(options.timeoutMs / 1000)} s`, retryable: true };
    }
    await sleep(Math.min(pause, left), undefined, { signal: options.signal });
    pause = Math.min(pause * 2, options.maxPollIntervalMs);
    current = await poll();
  }
}
