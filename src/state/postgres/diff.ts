/**
 * What a write changes, row by row: the records and intents of the next state that differ
 * from the last state the store read or wrote. The pure helpers in mutations.ts and
 * journal.ts keep every untouched record the same object, so most comparisons stop at
 * identity; a record rebuilt with equal content is caught by the deep compare and costs
 * no row. Intents keep their order through `ordinal`: an intent keeps its number while
 * the order allows, otherwise it (and what follows) gets new, higher ones.
 */
import type { Intent, KeyplanState, ManagedKey } from '../../model/state.js';

/** The rows one write touches. */
export interface RowChanges {
  /** Records to insert or replace. */
  readonly upsertKeys: readonly ManagedKey[];
  /** Names of records to delete. */
  readonly deleteKeys: readonly string[];
  /** Intents to insert or replace, with their new ordinal. */
  readonly upsertIntents: readonly { readonly intent: Intent; readonly ordinal: number }[];
  /** Ids of intents to delete. */
  readonly deleteIntents: readonly string[];
  /** Every intent id of the next state with its ordinal after this write. */
  readonly ordinals: ReadonlyMap<string, number>;
}

/**
 * The row changes from `base` (as stored, with its intents' `ordinals`) to `next`.
 * `base` undefined means nothing is stored yet: every record and intent is new.
 */
export function diffStates(base: KeyplanState | undefined, next: KeyplanState, ordinals: ReadonlyMap<string, number>): RowChanges {
  const before = base?.keys ?? {};
  const upsertKeys: ManagedKey[] = [];
  for (const [name, record] of Object.entries(next.keys)) {
    const prior = before[name];
    if (prior === record || (prior !== undefined && sameJson(prior, record))) continue;
    upsertKeys.push(record);
  }
  const deleteKeys = Object.keys(before).filter((name) => !(name in next.keys));

  const priorIntents = new Map((base?.intents ?? []).map((i) => [i.id, i]));
  let highest = Math.max(0, ...ordinals.values());
  let last = 0;
  const nextOrdinals = new Map<string, number>();
  const upsertIntents: { intent: Intent; ordinal: number }[] = [];
  for (const intent of next.intents) {
    const prior = priorIntents.get(intent.id);
    const stored = ordinals.get(intent.id);
    const unchanged = prior !== undefined && (prior === intent || sameJson(prior, intent));
    if (unchanged && stored !== undefined && stored > last) {
      last = stored;
    } else {
      highest += 1;
      last = highest;
      upsertIntents.push({ intent, ordinal: highest });
    }
    nextOrdinals.set(intent.id, last);
  }
  const deleteIntents = [...priorIntents.keys()].filter((id) => !nextOrdinals.has(id));
  return { upsertKeys, deleteKeys, upsertIntents, deleteIntents, ordinals: nextOrdinals };
}

/** True when the changes touch no row. */
export function isEmpty(changes: RowChanges): boolean {
  return changes.upsertKeys.length + changes.deleteKeys.length + changes.upsertIntents.length + changes.deleteIntents.length === 0;
}

/** Deep equality of JSON values; object key order does not matter, array order does. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => sameJson(v, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  if (keys.length !== Object.keys(right).filter((k) => right[k] !== undefined).length) return false;
  return keys.every((k) => Object.hasOwn(right, k) && sameJson(left[k], right[k]));
}
