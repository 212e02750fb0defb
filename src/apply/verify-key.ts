/**
 * Proving a new key works before anything depends on it: the adapter authenticates with
 * the new credential (ProviderAdapter.verify), retried with capped exponential backoff
 * while the provider does not accept it yet (a new cloud key takes a while to propagate)
 * or answers with a retryable error, until `rotation.verify_timeout`. The caller decides
 * what a key that never authenticates means (a rotation keeps the old key; a create is
 * deleted again). Reasons come from the adapter's `rejected` answers and error messages,
 * which never hold the secret.
 */
import { ProviderError } from '../errors/errors.js';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { Secret } from '../model/secret.js';
import type { SecretMaterial } from '../providers/contract.js';
import { logger } from '../log/logger.js';
import type { StepContext } from './context.js';
import { adapterFor } from './step-delete.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../model/verify.js';

/** First pause between attempts; doubled after each until `VERIFY_MAX_PAUSE_MS`. */
export const VERIFY_FIRST_PAUSE_MS = 1_000;
export const VERIFY_MAX_PAUSE_MS = 15_000;

/** `skipped`: the key opts out (`verify: false`), its adapter cannot verify, or it was created inactive on purpose. */
export type VerifyOutcome = { readonly outcome: 'verified' } | { readonly outcome: 'skipped' } | { readonly outcome: 'unverified'; readonly reason: string };

/** Whether `key` is verified at all: it did not opt out and its adapter can. */
export function verifies(ctx: StepContext, key: DesiredKey): boolean {
  return key.rotation.verify !== false && adapterFor(ctx, key.provider).verify !== undefined;
}

/** Authenticates with the new key until it works or `rotation.verify_timeout` has passed. */
export async function verifyNewKey(
  ctx: StepContext,
  key: DesiredKey,
  live: LiveKey,
  material: SecretMaterial,
  passphrase: Secret | null,
): Promise<VerifyOutcome> {
  const adapter = adapterFor(ctx, key.provider);
  if (key.rotation.verify === false || adapter.verify === undefined) return { outcome: 'skipped' };
  // A key declared inactive cannot authenticate by design, and failed attempts can lock an account.
  if (live.status === 'inactive') return { outcome: 'skipped' };
  const timeoutMs = key.rotation.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const started = ctx.now();
  let pause = VERIFY_FIRST_PAUSE_MS;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    let reason: string;
    try {
      const result = await adapter.verify({ key, live, material, passphrase, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
      if (result.outcome === 'authenticated') {
        logger().debug('key verified', { name: key.name, id: live.id, attempts });
        return { outcome: 'verified' };
      }
      reason = result.reason;
    } catch (error) {
      // Only a failure that may pass (throttling, a 503, a reset connection) is worth waiting for.
      if (!(error instanceof ProviderError) || !error.retryable) throw error;
      reason = error.message;
    }
    const elapsed = ctx.now() - started;
    logger().debug('key not verified yet', { name: key.name, id: live.id, attempts, reason });
    if (elapsed >= timeoutMs) return { outcome: 'unverified', reason: `${reason} (after ${attempts} attempts in ${seconds(elapsed)})` };
    const wait = Math.min(pause, timeoutMs - elapsed);
    pause = Math.min(pause * 2, VERIFY_MAX_PAUSE_MS);
    try {
      await (ctx.sleep ?? sleep)(wait, ctx.waitSignal);
    } catch {
      // Stopped (Ctrl-C) while waiting: the key is not proven, and the caller records that.
      return { outcome: 'unverified', reason: `${reason} (stopped while waiting to verify again, after ${attempts} attempts)` };
    }
  }
}

function seconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`;
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
