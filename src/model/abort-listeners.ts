/**
 * One abort listener per signal, however many calls wait on it. A run shares one signal
 * among all its calls (a refresh has a call per user in flight or queued); a listener per
 * call makes Node warn of a listener leak past ten, and adding and removing each costs
 * more than the call's own bookkeeping.
 */

const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `callback` when `signal` aborts; returns the function that stops that. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiters.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    waiters.set(signal, created);
    signal.addEventListener('abort', () => [...created].forEach((run) => run()), { once: true });
  }
  const set = callbacks;
  set.add(callback);
  return () => void set.delete(callback);
}
