/**
 * Waiting for a state lock another run holds (`--lock-timeout`), for any backend: the
 * backend says how one attempt went, this loop retries with a short backoff until the lock
 * is taken or the time is up, tells the caller once who holds it, and then fails with the
 * backend's own "state is locked by ..." error, so the message is the same with or without
 * waiting.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StateLockError } from '../errors/errors.js';
import type { LockInfo, LockOptions } from './store.js';

/** One try at taking the lock: taken, or held by another run (its holder, when it could be read). */
export type LockAttempt =
  | { readonly kind: 'taken'; readonly lock: LockInfo }
  | {
      readonly kind: 'held';
      /** The error to throw if the lock is still held when the time is up. */
      readonly error: StateLockError;
      readonly holder: LockInfo | undefined;
    };

/** The pause after the first failed attempt; it doubles up to MAX_PAUSE_MS. */
const FIRST_PAUSE_MS = 50;
/** Short enough that a released lock is taken within a second. */
const MAX_PAUSE_MS = 1_000;

/**
 * Calls `attempt` until it takes the lock or `options.timeoutMs` has passed, then throws
 * the last attempt's error. An error `attempt` throws (I/O, an unreadable lock) ends the
 * wait at once: waiting cannot mend it.
 */
export async function waitForLock(attempt: () => Promise<LockAttempt>, options: LockOptions = {}): Promise<LockInfo> {
  const deadline = Date.now() + Math.max(0, options.timeoutMs ?? 0);
  let pause = FIRST_PAUSE_MS;
  let told = false;
  for (;;) {
    const result = await attempt();
    if (result.kind === 'taken') return result.lock;
    const left = deadline - Date.now();
    if (left <= 0) throw result.error;
    if (!told && result.holder !== undefined) {
      told = true;
      options.onWait?.(result.holder);
    }
    // Never sleep past the deadline, so the last attempt is made right at it.
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
}
