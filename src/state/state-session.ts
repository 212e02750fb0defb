/**
 * The apply engine's handle on state while steps run concurrently: every change goes
 * through one promise chain, so two steps finishing at once cannot interleave their
 * read-modify-write cycles, and each change is on disk before the step may count as done.
 */
import type { KeyplanState } from '../model/state.js';
import type { StateStore } from './store.js';

/** Serialises state changes of one run and writes each one durably. */
export class StateSession {
  readonly #store: StateStore;
  #current: KeyplanState;
  #tail: Promise<void> = Promise.resolve();

  /** @param initial the state as read (or last written) by `store`; the caller holds the lock. */
  constructor(store: StateStore, initial: KeyplanState) {
    this.#store = store;
    this.#current = initial;
  }

  /** The latest state written (or the initial one). */
  get current(): KeyplanState {
    return this.#current;
  }

  /**
   * Applies `mutator` to the latest state once every earlier update has settled, writes the
   * result, and resolves when it is durable. A mutator that returns its input unchanged
   * writes nothing. When the mutator or the write fails, this call rejects, the state is
   * left as it was, and later updates still run.
   */
  update(mutator: (s: KeyplanState) => KeyplanState): Promise<void> {
    const run = this.#tail.then(async () => {
      const next = mutator(this.#current);
      if (next === this.#current) return;
      this.#current = await this.#store.write(next);
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
