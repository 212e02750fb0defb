/**
 * One limiter per provider block (its max_concurrency and requests_per_second), wrapped
 * around the block's adapter, so refresh's list calls and apply's calls share the one
 * budget the vendor sets. The adapter's own retries happen inside a call, so a retried
 * call still holds one slot.
 */
import PQueue from 'p-queue';
import { onAbort } from '../model/abort-listeners.js';
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

/** What a call that will not run hands p-queue: its slot is free at once. */
const GIVEN_BACK = Promise.resolve();

/**
 * Runs calls when `queue` has a slot. An abort while a call waits rejects it at once with
 * the signal's reason; once started, a call is never abandoned (a create in flight must
 * finish and be recorded): it sees the signal itself. The waiting calls share the signal's
 * one listener (model/abort-listeners.ts): a refresh queues a call per user. An
 * AbortController per call, with p-queue's two listeners on it, had cost a 2,000-key plan's
 * refresh some 50 ms of its 240 ms of CPU (interleaved runs).
 */
class Slots {
  readonly #queue: PQueue;
  /** Queued calls whose caller has gone: when one's turn comes, it gives the slot straight back. */
  #abandoned = 0;

  constructor(queue: PQueue) {
    this.#queue = queue;
  }

  run<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    if (signal === undefined) return this.#queue.add(call);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      let waiting = true;
      const stopWaiting = onAbort(signal, () => {
        waiting = false;
        reject(signal.reason as Error);
        this.#abandon();
      });
      this.#queue
        .add(() => {
          stopWaiting();
          if (!waiting) {
            this.#abandoned--;
            return GIVEN_BACK;
          }
          waiting = false;
          try {
            return call().then(resolve, reject);
          } catch (error) {
            reject(error as Error);
            return GIVEN_BACK;
          }
        })
        .catch(reject);
    });
  }

  /**
   * Once every queued call is abandoned, drops them all: left queued, each would wait for
   * its turn under the rate limit (1,000 users at 5 per second: 200 s) and hold the
   * process open that long after a Ctrl-C.
   */
  #abandon(): void {
    this.#abandoned++;
    if (this.#abandoned < this.#queue.size) return;
    this.#queue.clear();
    this.#abandoned = 0;
  }
}

/** `adapter` with every provider call (not configure or close) run through `queue`. */
export function limitedAdapter(adapter: ProviderAdapter, queue: PQueue): ProviderAdapter {
  const slots = new Slots(queue);
  const whenFree = <T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> => slots.run(signal, call);
  const { update, verify, describe, setActive } = adapter;
  return {
    contractVersion: adapter.contractVersion,
    configure: (req) => adapter.configure(req),
    list: (req) => whenFree(req.signal, () => adapter.list(req)),
    create: (req) => whenFree(req.signal, () => adapter.create(req)),
    delete: (req) => whenFree(req.signal, () => adapter.delete(req)),
    ...(update === undefined ? {} : { update: (req) => whenFree(req.signal, () => update.call(adapter, req)) }),
    ...(verify === undefined ? {} : { verify: (req) => whenFree(req.signal, () => verify.call(adapter, req)) }),
    ...(describe === undefined ? {} : { describe: (req) => whenFree(req.signal, () => describe.call(adapter, req)) }),
    ...(setActive === undefined ? {} : { setActive: (req) => whenFree(req.signal, () => setActive.call(adapter, req)) }),
    close: () => adapter.close(),
  };
}
