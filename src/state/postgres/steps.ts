/**
 * The rows a batch of apply steps (StateStore.writeSteps) touches, from the steps
 * themselves rather than from a comparison of every record, so a step's write costs the
 * same at any number of keys; and the stored records after such a write, kept up to date
 * in place in a copy the store owns.
 */
import type { KeyplanState, ManagedKey } from '../../model/state.js';
import type { StateStep } from '../store.js';
import { diffStates, type RowChanges } from './diff.js';

/**
 * The row changes of `steps`, made from `base` (as stored, with its intents' `ordinals`)
 * to `next`. `base` undefined: nothing usable is known of what is stored, every row is written.
 */
export function stepChanges(
  base: KeyplanState | undefined,
  next: KeyplanState,
  steps: readonly StateStep[],
  ordinals: ReadonlyMap<string, number>,
): RowChanges {
  if (base === undefined) return diffStates(undefined, next, new Map());
  const upserts = new Map<string, ManagedKey>();
  const deletes = new Set<string>();
  for (const step of steps) {
    for (const [name, record] of Object.entries(step.keys)) {
      if (record === null) {
        upserts.delete(name);
        if (name in base.keys) deletes.add(name);
      } else {
        deletes.delete(name);
        upserts.set(name, record);
      }
    }
  }
  // The intents are few (the calls in flight): compared whole, as any write does.
  const intents = diffStates({ ...base, keys: {} }, { ...next, keys: {} }, ordinals);
  return { ...intents, upsertKeys: [...upserts.values()], deleteKeys: [...deletes] };
}

/**
 * The stored records after `changes` were written over `base`: `owned` changed in place
 * when it is `base`'s records object, otherwise a copy (once per run).
 */
export function recordsAfter(
  base: KeyplanState | undefined,
  next: KeyplanState,
  changes: RowChanges,
  owned: Record<string, ManagedKey> | undefined,
): Record<string, ManagedKey> {
  if (base === undefined) return { ...next.keys };
  const keys = base.keys === owned ? owned : { ...base.keys };
  for (const name of changes.deleteKeys) delete keys[name];
  for (const record of changes.upsertKeys) keys[record.name] = record;
  return keys;
}
