/**
 * Pure helpers that derive a new state's records from an old one (the journal's entries
 * have theirs in journal.ts). They never mutate their input, so the apply engine can hand
 * the same state object to concurrent readers, and a mutator passed to
 * StateSession.update stays a plain function that is easy to test.
 * A rotation should combine its changes in one mutator, e.g.
 * `s => setCurrent(addRetiring(s, name, old, after), managed, fresh)`, so that no state
 * written in between records the old key twice. Inside a StateSession they change the
 * session's draft in place instead (draft.ts); callers see no difference.
 */
import { InternalError } from '../errors/errors.js';
import { changeInPlace } from './draft.js';
import type { KeyInstance, KeyplanState, ManagedKey, PendingInstance, RetiringInstance } from '../model/state.js';

/** The identity part of a managed key's record. */
export type ManagedIdentity = Pick<ManagedKey, 'name' | 'kind' | 'provider' | 'owner'>;

/**
 * Records `instance` as the live key of `managed.name`, creating the record if needed.
 * The previous current instance is dropped: move it with {@link addRetiring} first when it
 * must be kept for its overlap. Retiring instances are kept.
 */
export function setCurrent(state: KeyplanState, managed: ManagedIdentity, instance: KeyInstance): KeyplanState {
  const prior = state.keys[managed.name];
  const record: ManagedKey = {
    name: managed.name,
    kind: managed.kind,
    provider: managed.provider,
    owner: managed.owner,
    current: instance,
    // A key being retired can never be current as well.
    retiring: (prior?.retiring ?? []).filter((r) => r.id !== instance.id),
    // An unverified successor stays recorded (it is live) unless it is the one made current.
    ...(prior?.pending !== undefined && prior.pending.id !== instance.id ? { pending: prior.pending } : {}),
  };
  return withRecord(state, record);
}

/**
 * Records a rotation's new key that has not authenticated yet: the current key stays
 * current and is not retiring (PHASE-MODEL: `pending`). The key must be in state.
 */
export function setPending(state: KeyplanState, name: string, pending: PendingInstance): KeyplanState {
  return withRecord(state, { ...requireRecord(state, name), pending });
}

/**
 * The pending key of `name` authenticated: it becomes current (verified at `verifiedAt`)
 * and the old current key retires until `retireAfter`, in one record.
 */
export function promotePending(state: KeyplanState, name: string, verifiedAt: string, retireAfter: string): KeyplanState {
  const record = requireRecord(state, name);
  if (record.pending === undefined) throw new InternalError(`Expected key ${name} to have a pending key, got none`);
  const { unverifiedSince: _u, verifyError: _e, ...instance } = record.pending;
  const { pending: _p, ...rest } = record;
  const retiring: RetiringInstance = { ...record.current, retireAfter };
  return withRecord(state, {
    ...rest,
    current: { ...instance, verifiedAt },
    retiring: [...record.retiring.filter((r) => r.id !== record.current.id), retiring],
  });
}

/** Keeps `instance` of key `name` alive until `retireAfter` (RFC 3339). The key must be in state. */
export function addRetiring(state: KeyplanState, name: string, instance: KeyInstance, retireAfter: string): KeyplanState {
  const record = requireRecord(state, name);
  const retiring: RetiringInstance = { ...instance, retireAfter };
  return withRecord(state, {
    ...record,
    retiring: [...record.retiring.filter((r) => r.id !== instance.id), retiring],
  });
}

/** Records that retiring key `liveId` of `name` was deactivated at `deactivatedAt` and is deleted from `deleteAfter` on; unchanged when it is not retiring. */
export function markDeactivated(state: KeyplanState, name: string, liveId: string, deactivatedAt: string, deleteAfter: string): KeyplanState {
  const record = state.keys[name];
  if (record === undefined || !record.retiring.some((r) => r.id === liveId)) return state;
  return withRecord(state, {
    ...record,
    retiring: record.retiring.map((r) => (r.id === liveId ? { ...r, deactivatedAt, deleteAfter } : r)),
  });
}

/**
 * `rotation undo`: retiring key `liveId` of `name` becomes current again (restored at
 * `restoredAt`, its retirement bookkeeping dropped) and the current key retires until
 * `retireAfter`, in one record, so no write ever holds one key twice or loses either.
 */
export function restoreRetiring(state: KeyplanState, name: string, liveId: string, restoredAt: string, retireAfter: string): KeyplanState {
  const record = requireRecord(state, name);
  const old = record.retiring.find((r) => r.id === liveId);
  if (old === undefined)
    throw new InternalError(`Expected key ${name} to have retiring key ${liveId}, got ${record.retiring.map((r) => r.id).join(', ') || 'none'}`);
  const { retireAfter: _r, deactivatedAt: _a, deleteAfter: _d, ...instance } = old;
  const demoted: RetiringInstance = { ...record.current, retireAfter };
  return withRecord(state, {
    ...record,
    current: { ...instance, restoredAt },
    retiring: [...record.retiring.filter((r) => r.id !== liveId), demoted],
  });
}

/**
 * Removes the instance with `liveId` (current or retiring) from key `name`, and the whole
 * record when nothing is left. Removing what is not there returns the state unchanged,
 * because provider deletes are idempotent and a repaired journal may replay them.
 * Throws InternalError when the current instance would go while retiring ones remain:
 * a record needs a current key (ManagedKey.current), so remove the retiring ones first.
 */
export function removeInstance(state: KeyplanState, name: string, liveId: string): KeyplanState {
  const record = state.keys[name];
  if (record === undefined) return state;
  if (record.pending?.id === liveId) {
    const { pending: _p, ...rest } = record;
    return withRecord(state, rest);
  }
  if (record.retiring.some((r) => r.id === liveId)) {
    return withRecord(state, { ...record, retiring: record.retiring.filter((r) => r.id !== liveId) });
  }
  if (record.current.id !== liveId) return state;
  if (record.retiring.length > 0) {
    throw new InternalError(`Expected key ${name} to have no retiring keys when its current key ${liveId} is removed, got ${record.retiring.length}`);
  }
  return forget(state, name);
}

/** Drops key `name` from state (`keyplan state rm`); its live keys become unmanaged. Intents are kept. */
export function forget(state: KeyplanState, name: string): KeyplanState {
  if (!(name in state.keys)) return state;
  if (changeInPlace(state.keys, name, undefined)) return state;
  const keys = { ...state.keys };
  delete keys[name];
  return { ...state, keys };
}

/**
 * Records key `from` under the name `to` (`keyplan state mv`): the same record (current,
 * pending and retiring instances with their bookkeeping) under the new name. The caller
 * checks that `from` is recorded and `to` is free; intents are not renamed (they are
 * refused before, see engine-state-mv.ts).
 */
export function renameKey(state: KeyplanState, from: string, to: string): KeyplanState {
  const record = requireRecord(state, from);
  if (to in state.keys) throw new InternalError(`Expected no key ${to} in state to rename ${from} to, got one`);
  const keys = { ...state.keys };
  delete keys[from];
  return { ...state, keys: { ...keys, [to]: { ...record, name: to } } };
}

function withRecord(state: KeyplanState, record: ManagedKey): KeyplanState {
  if (changeInPlace(state.keys, record.name, record)) return state;
  return { ...state, keys: { ...state.keys, [record.name]: record } };
}

function requireRecord(state: KeyplanState, name: string): ManagedKey {
  const record = state.keys[name];
  if (record === undefined) throw new InternalError(`Expected key ${name} to be in state, got no record`);
  return record;
}
