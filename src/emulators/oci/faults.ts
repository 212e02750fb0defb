/**
 * Fault injection and latency. A seeded generator makes a run with `failRate` repeatable,
 * so a test (or a benchmark) that injects faults sees the same sequence every time.
 */
import { OciHttpError } from './errors.js';

/** mulberry32: tiny, fast, good enough to pick which requests fail. Returns values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, per request, whether to answer with an injected 429 or 500. */
export class FaultInjector {
  readonly #rate: number;
  readonly #random: () => number;

  constructor(rate: number, seed: number | undefined) {
    this.#rate = rate;
    this.#random = seed === undefined ? Math.random : seededRandom(seed);
  }

  /** The injected error for this request, or undefined to serve it normally. */
  next(): OciHttpError | undefined {
    if (this.#rate <= 0) return undefined;
    // Draw both numbers every time so the sequence depends only on the request count.
    const hit = this.#random() < this.#rate;
    const throttle = this.#random() < 0.5;
    if (!hit) return undefined;
    return throttle
      ? new OciHttpError(429, 'TooManyRequests', 'Too many requests for the tenant.', 'injected fault')
      : new OciHttpError(500, 'InternalServerError', 'Internal error occurred.', 'injected fault');
  }
}

/** Resolves after `ms` (at once for 0, without a timer). */
export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
