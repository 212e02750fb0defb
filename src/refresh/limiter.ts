/**
 * One limiter per provider block (its max_concurrency and requests_per_second), wrapped
 * around the block's adapter, so refresh's list calls and apply's calls share the one
 * budget the vendor sets. The adapter's own retries happen inside a call, so a retried
 * call still holds one slot.
 */
import PQueue from 'p-queue';
import type { ProviderAdapter } from '../providers/contract.js';
import type { ProviderLimits } from '../providers/module.js';

/**
 * A queue with `limits.maxConcurrency` calls in flight and, with a rate, at most
 * `intervalCap` calls started in any window of `interval` ms (p-queue's strict mode: a
 * sliding window, so no burst of two windows' worth at a boundary). 2.5 per second is
 * 2 per 800 ms; 0.5 per second is 1 per 2 s.
 */
export function providerQueue(limits: ProviderLimits): PQueue {
  const rps = limits.requestsPerSecond;
  if (rps === undefined) return new PQueue({ concurrency: limits.maxConcurrency });
  const intervalCap = Math.max(1, Math.floor(rps));
  return new PQueue({ concurrency: limits.maxConcurrency, intervalCap, interval: Math.round((1000 * intervalCap) / rps), strict: true });
}

/**
 * Runs `call` when `queue` has a slot. An abort while the call waits rejects at once with
 * the signal's reason and gives its place back; once started, the call is never abandoned
 * (a create in flight must finish and be recorded): it sees the signal itself.
 */
function whenFree<T>(queue: PQueue, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  if (signal === undefined) return queue.add(call);
  let started = false;
  const waiting = new AbortController();
  const onAbort = (): void => {
    if (!started) waiting.abort(signal.reason);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return queue
    .add(
      () => {
        started = true;
        return call();
      },
      { signal: waiting.signal },
    )
    .finally(() => signal.removeEventListener('abort', onAbort));
}

/** `adapter` with every provider call (not configure or close) run through `queue`. */
export function limitedAdapter(adapter: ProviderAdapter, queue: PQueue): ProviderAdapter {
  const { update, verify, describe, setActive } = adapter;
  return {
    contractVersion: adapter.contractVersion,
    configure: (req) => adapter.configure(req),
    list: (req) => whenFree(queue, req.signal, () => adapter.list(req)),
    create: (req) => whenFree(queue, req.signal, () => adapter.create(req)),
    delete: (req) => whenFree(queue, req.signal, () => adapter.delete(req)),
    ...(update === undefined ? {} : { update: (req) => whenFree(queue, req.signal, () => update.call(adapter, req)) }),
    ...(verify === undefined ? {} : { verify: (req) => whenFree(queue, req.signal, () => verify.call(adapter, req)) }),
    ...(describe === undefined ? {} : { describe: (req) => whenFree(queue, req.signal, () => describe.call(adapter, req)) }),
    ...(setActive === undefined ? {} : { setActive: (req) => whenFree(queue, req.signal, () => setActive.call(adapter, req)) }),
    close: () => adapter.close(),
  };
}
