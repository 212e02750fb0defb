/**
 * Drops what the live snapshot proves obsolete from state before an apply: journal
 * entries of calls that left nothing behind, retiring keys already gone, and records of
 * undeclared keys none of whose keys are live. Only scopes that were read count as proof.
 * Pure.
 */
import { scopeKey, type LiveSnapshot } from '../model/live.js';
import type { Intent, KeyplanState, ManagedKey } from '../model/state.js';

/** The state with obsolete entries removed (the same object when nothing changed). */
export function tidyState(state: KeyplanState, live: LiveSnapshot, declared: ReadonlySet<string>): KeyplanState {
  const read = new Set(live.scopes.map(scopeKey));
  const liveIds = new Set(live.keys.map((k) => `${scopeKey(k)}|${k.id}`));
  const isGone = (scope: { provider: string; kind: string; owner: string }, id: string): boolean =>
    read.has(scopeKey(scope)) && !liveIds.has(`${scopeKey(scope)}|${id}`);

  let changed = false;
  // A create intent whose key is live stays: the plan deletes that key (interrupted_create).
  // Any other leftover intent describes a call whose effect state already reflects.
  const intents = state.intents.filter((i) => {
    const keep = i.operation === 'create' && (i.liveId !== undefined ? !isGone(i, i.liveId) : matchStillLive(i, state, live, read));
    if (!keep) changed = true;
    return keep;
  });
  const keys: Record<string, ManagedKey> = {};
  for (const [name, rec] of Object.entries(state.keys)) {
    const retiring = rec.retiring.filter((r) => !isGone(rec, r.id));
    if (retiring.length !== rec.retiring.length) changed = true;
    if (!declared.has(name) && isGone(rec, rec.current.id) && retiring.length === 0) {
      changed = true;
      continue;
    }
    keys[name] = retiring.length === rec.retiring.length ? rec : { ...rec, retiring };
  }
  return changed ? { ...state, keys, intents } : state;
}

/**
 * A create journalled by its match attribute (BDS: the alias) stays while its scope was
 * not read, or while a key of that scope that no record claims still carries the value.
 */
function matchStillLive(intent: Intent, state: KeyplanState, live: LiveSnapshot, read: ReadonlySet<string>): boolean {
  const match = intent.match;
  if (match === undefined) return false;
  const scope = scopeKey(intent);
  if (!read.has(scope)) return true;
  const claimed = new Set(
    Object.values(state.keys)
      .filter((r) => scopeKey(r) === scope)
      .flatMap((r) => [r.current.id, ...r.retiring.map((x) => x.id)]),
  );
  return live.keys.some((k) => scopeKey(k) === scope && !claimed.has(k.id) && k.attributes[match.attribute] === match.value);
}
