/**
 * The apply engine's handle on state while steps run concurrently: every change goes
 * through one queue, so two steps finishing at once cannot interleave their
 * read-modify-write cycles, and each change is on disk before the step may count as done.
 * Changes that arrive while a write is in flight are written together next (one append
 * and one fsync for the lot, when the store can write steps), each still its own serial.
 */
import type { KeyplanState } from '../model/state.js';
import type { StateStore } from './store.js';

interface Pending {
  readonly mutator: (s: KeyplanState) => KeyplanState;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Serialises state changes of one run and writes each one durably. */
export class StateSession {
  readonly #store: StateStore;
  #current: KeyplanState;
  #queue: Pending[] = [];
  #draining = false;

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
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ mutator, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        // Without step writes every change is a whole write of its own, as before.
        const batch = this.#store.writeSteps === undefined ? this.#queue.splice(0, 1) : this.#queue.splice(0);
        await this.#writeBatch(batch);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #writeBatch(batch: readonly Pending[]): Promise<void> {
    const base = this.#current;
    const steps: KeyplanState[] = [];
    const done: Pending[] = [];
    let state = base;
    for (const item of batch) {
      let next: KeyplanState;
      try {
        next = item.mutator(state);
      } catch (error) {
        item.reject(error);
        continue;
      }
      if (next !== state) steps.push(next);
      state = next;
      done.push(item);
    }
    try {
      if (steps.length > 0) {
        const store = this.#store;
        this.#current = store.writeSteps !== undefined ? await store.writeSteps(base, steps) : await store.write(steps[steps.length - 1] as KeyplanState);
      }
    } catch (error) {
      for (const item of done) item.reject(error);
      return;
    }
    for (const item of done) item.resolve();
  }
}
