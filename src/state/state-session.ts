/**
 * The apply engine's handle on state while steps run concurrently: every change goes
 * through one queue, so two steps finishing at once cannot interleave their
 * read-modify-write cycles, and each change is on disk before the step may count as done.
 * Changes that arrive while a write is in flight are written together next (one append
 * and one fsync for the lot, when the store can write steps), each still its own serial.
 * With a store that writes steps, the records are changed in place (draft.ts) and only
 * what a step changed is written, so a step costs the same at any number of keys; the
 * records a step reads through `current` may then be ahead of the disk by the steps of
 * the write in flight, which are put back if it fails.
 */
import type { KeyplanState, ManagedKey } from '../model/state.js';
import { changeInPlace, closeDraft, openDraft, restore, takeChanged } from './draft.js';
import { stepBetween } from './step-journal.js';
import type { StateStep, StateStore } from './store.js';

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
    // Steps change the session's own copy of the records in place (draft.ts), never the caller's.
    this.#current = store.writeSteps === undefined ? initial : { ...initial, keys: { ...initial.keys } };
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
        // Without step writes every change is a whole write of its own.
        const batch = this.#store.writeSteps === undefined ? this.#queue.splice(0, 1) : this.#queue.splice(0);
        await this.#writeBatch(batch);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #writeBatch(batch: readonly Pending[]): Promise<void> {
    if (this.#store.writeSteps === undefined) return this.#writeWhole(batch);
    const base = this.#current;
    const keys = base.keys;
    const steps: StateStep[] = [];
    const done: Pending[] = [];
    // What each changed record held before this batch, to put back when the write fails.
    const before = new Map<string, ManagedKey | undefined>();
    let state = base;
    openDraft(keys);
    try {
      for (const item of batch) {
        let next: KeyplanState;
        try {
          next = item.mutator(state);
        } catch (error) {
          restore(keys, takeChanged(keys));
          item.reject(error);
          continue;
        }
        let changed = takeChanged(keys);
        if (next.keys !== keys) changed = adopt(keys, state, next);
        for (const [name, prior] of changed) if (!before.has(name)) before.set(name, prior);
        const records: Record<string, ManagedKey | null> = {};
        for (const name of changed.keys()) records[name] = keys[name] ?? null;
        if (changed.size > 0 || next.intents !== state.intents) {
          steps.push({ keys: records, ...(next.intents !== state.intents ? { intents: next.intents } : {}) });
        }
        state = next.keys === keys ? next : { ...next, keys };
        done.push(item);
      }
    } finally {
      closeDraft(keys);
    }
    try {
      if (steps.length > 0) this.#current = await this.#store.writeSteps(base, steps, state);
    } catch (error) {
      restore(keys, before);
      for (const item of done) item.reject(error);
      return;
    }
    for (const item of done) item.resolve();
  }

  /** One update written whole, for stores that cannot write steps. */
  async #writeWhole(batch: readonly Pending[]): Promise<void> {
    for (const item of batch) {
      try {
        const next = item.mutator(this.#current);
        if (next !== this.#current) this.#current = await this.#store.write(next);
        item.resolve();
      } catch (error) {
        item.reject(error);
      }
    }
  }
}

/**
 * A mutator that built its own records object (not through the helpers of mutations.ts):
 * its changes go into the session's `keys` in place, found by comparing every record.
 */
function adopt(keys: KeyplanState['keys'], state: KeyplanState, next: KeyplanState): Map<string, ManagedKey | undefined> {
  const step = stepBetween(state, next);
  openDraft(keys);
  for (const [name, record] of Object.entries(step.keys)) changeInPlace(keys, name, record ?? undefined);
  return takeChanged(keys);
}
