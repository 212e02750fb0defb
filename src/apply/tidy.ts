/**
 * Drops what the live snapshot proves obsolete from state before an apply: journal
 * entries the journal's rules no longer keep (state/journal.ts), retiring and pending
 * (unverified) keys already gone, and records of undeclared keys none of whose keys are live. Only scopes that were
 * read count as proof. Pure.
 */
import { scopeKey, type LiveSnapshot } from '../model/live.js';
import type { KeyplanState, ManagedKey } from '../model/state.js';
import { journalView, keepsIntent } from '../state/journal.js';

/** The state with obsolete entries removed (the same object when nothing changed). */
export function tidyState(state: KeyplanState, live: LiveSnapshot, declared: ReadonlySet<string>): KeyplanState {
  const read = new Set(live.scopes.map(scopeKey));
  const liveIds = new Set(live.keys.map((k) => `${scopeKey(k)}|${k.id}`));
  const isGone = (scope: { provider: string; kind: string; owner: string }, id: string): boolean =>
    read.has(scopeKey(scope)) && !liveIds.has(`${scopeKey(scope)}|${id}`);

  const view = journalView(live, state);
  const intents = state.intents.filter((i) => keepsIntent(view, i));
  let changed = intents.length !== state.intents.length;
  const keys: Record<string, ManagedKey> = {};
  for (const [name, rec] of Object.entries(state.keys)) {
    const retiring = rec.retiring.filter((r) => !isGone(rec, r.id));
    if (retiring.length !== rec.retiring.length) changed = true;
    if (!declared.has(name) && isGone(rec, rec.current.id) && retiring.length === 0) {
      changed = true;
      continue;
    }
    const pendingGone = rec.pending !== undefined && isGone(rec, rec.pending.id);
    if (pendingGone) changed = true;
    const { pending: _p, ...withoutPending } = rec;
    const kept = pendingGone ? withoutPending : rec;
    keys[name] = retiring.length === rec.retiring.length ? kept : { ...kept, retiring };
  }
  return changed ? { ...state, keys, intents } : state;
}
