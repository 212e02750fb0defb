/**
 * Changing a state's records in place, for the apply engine only. The helpers of
 * mutations.ts derive a new state without touching their input, which costs a copy of
 * every record per change; a StateSession instead opens the records object it owns as a
 * draft while it runs a mutator, and the helpers then set or remove one record in it and
 * note what it held before, so a step costs the same at any number of keys. Any other
 * records object is never changed.
 */
import type { ManagedKey } from '../model/state.js';

type Records = Readonly<Record<string, ManagedKey>>;

/** Open drafts: records object → each name changed since `takeChanged`, with what it held before. */
const drafts = new WeakMap<Records, Map<string, ManagedKey | undefined>>();

/** Lets the helpers change `records` in place until `closeDraft`. */
export function openDraft(records: Records): void {
  drafts.set(records, new Map());
}

export function closeDraft(records: Records): void {
  drafts.delete(records);
}

/** The names changed in draft `records` since the last call, with the record each held before. */
export function takeChanged(records: Records): Map<string, ManagedKey | undefined> {
  const changed = drafts.get(records);
  if (changed === undefined) return new Map();
  drafts.set(records, new Map());
  return changed;
}

/** Puts back what `prior` (from `takeChanged`) says the names held. */
export function restore(records: Records, prior: ReadonlyMap<string, ManagedKey | undefined>): void {
  const writable = records as Record<string, ManagedKey>;
  for (const [name, record] of prior) {
    if (record === undefined) delete writable[name];
    else writable[name] = record;
  }
}

/** Sets (or, with undefined, removes) record `name` in place when `records` is an open draft; false otherwise. */
export function changeInPlace(records: Records, name: string, record: ManagedKey | undefined): boolean {
  const changed = drafts.get(records);
  if (changed === undefined) return false;
  if (!changed.has(name)) changed.set(name, records[name]);
  const writable = records as Record<string, ManagedKey>;
  if (record === undefined) delete writable[name];
  else writable[name] = record;
  return true;
}
