/**
 * Fault injection and latency, the same in every emulator. A seeded generator makes a run
 * with `failRate` repeatable, so a test (or a benchmark) that injects faults sees the same
 * sequence every time. Which errors a fault turns into is each provider's own (its
 * `injectedFault`); only the dice are shared.
 */

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

/** Decides, per request, whether to answer with an injected error instead of serving it. */
export class FaultInjector<E> {
  readonly #rate: number;
  readonly #random: () => number;
  readonly #pick: (draw: number) => E;

  /**
   * @param rate fraction (0..1) of requests that fail
   * @param seed makes the sequence repeatable; without one it uses Math.random
   * @param pick the provider's error for a failing request, from a draw in [0, 1)
   */
  constructor(rate: number, seed: number | undefined, pick: (draw: number) => E) {
    this.#rate = rate;
    this.#random = seed === undefined ? Math.random : seededRandom(seed);
    this.#pick = pick;
  }

  /** The injected error for this request, or undefined to serve it normally. */
  next(): E | undefined {
    if (this.#rate <= 0) return undefined;
    // Draw both numbers every time so the sequence depends only on the request count.
    const hit = this.#random() < this.#rate;
    const draw = this.#random();
    return hit ? this.#pick(draw) : undefined;
  }
}

/** Resolves after `ms` (at once for 0, without a timer). */
export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
