/**
 * Carries out one planned change. A rotation is one step with phases: create the new
 * key and deliver it, then (create-before-delete) retire the old one, or (quota-bound
 * delete-before-create) delete the old one first; old keys whose overlap ended are
 * deactivated (step-deactivate.ts) or deleted. A new key is verified before the old one
 * retires; one that did not authenticate on an earlier apply is verified again
 * (step-reverify.ts). State is written after every phase,
 * so an interruption anywhere leaves state that the next plan continues from.
 */
import { InternalError } from '../errors/errors.js';
import type { Attributes, DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { PlannedChange } from '../model/plan.js';
import type { KeyInstance, KeyplanState, PendingInstance } from '../model/state.js';
import { forgetClaimsOn } from '../state/journal.js';
import { addRetiring, removeInstance, setCurrent, setPending } from '../state/mutations.js';
import type { StepContext } from './context.js';
import { createAndDeliver } from './step-create.js';
import { adapterFor, deleteLiveKey } from './step-delete.js';
import { deactivateAll } from './step-deactivate.js';
import { reverifyPending } from './step-reverify.js';

/** The result of one change: the key created, if any. */
export interface ChangeResult {
  readonly created?: LiveKey;
}

/** Runs one change to completion or throws. */
export async function executeChange(ctx: StepContext, change: PlannedChange): Promise<ChangeResult> {
  // Old keys whose overlap ended go inactive first: that frees nothing, so order does not matter, and it is the smallest step.
  await deactivateAll(ctx, change);
  switch (change.action) {
    case 'create':
      await deleteAll(ctx, change);
      return { created: await createAndDeliver(ctx, desiredKey(ctx, change), (s, inst) => setCurrent(s, meta(change), inst)) };
    case 'rotate':
      return rotate(ctx, change);
    case 'delete':
    case 'retire':
      await deleteAll(ctx, change);
      return {};
    case 'update':
      return update(ctx, change);
  }
}

async function rotate(ctx: StepContext, change: PlannedChange): Promise<ChangeResult> {
  const key = desiredKey(ctx, change);
  if (change.verifies !== undefined) {
    await reverifyPending(ctx, change, key);
    await deleteAll(ctx, change);
    return {};
  }
  // An unverified new key being replaced goes first: state holds one pending key at a time.
  const pendingId = ctx.session.current.keys[change.name]?.pending?.id;
  const stale = change.deletes.filter((d) => d.id === pendingId);
  if (stale.length > 0) await deleteAll(ctx, { ...change, deletes: stale });
  if (change.order === 'delete_before_create') {
    await deleteAll(ctx, change);
    // The old key is gone already: the new one, unproven or not, is the only credential the outputs hold.
    const keepAsCurrent = {
      commit: (s: KeyplanState, p: PendingInstance) => setCurrent(s, meta(change), withoutVerifyFields(p)),
      outcome: 'the old key was already deleted (delete-before-create), so the new key is kept as current; check that it works',
    };
    return { created: await createAndDeliver(ctx, key, (s, inst) => setCurrent(s, meta(change), inst), keepAsCurrent) };
  }
  // The retire time is taken when the new key is committed, after its verification.
  const retireAfter = (): string => new Date(ctx.now() + (change.overlapMs ?? 0)).toISOString();
  const keepPending = {
    commit: (s: KeyplanState, p: PendingInstance) => setPending(s, change.name, p),
    outcome: 'the old key stays current and the next apply verifies the new one again',
  };
  const created = await createAndDeliver(
    ctx,
    key,
    (s, inst) => {
      // The old key becomes a retiring one in the same write that makes the new key
      // current, so no state ever lacks either of them.
      const old = s.keys[change.name]?.current;
      const next = setCurrent(s, meta(change), inst);
      return old ? addRetiring(next, change.name, old, retireAfter()) : next;
    },
    // A record without a current key (a drifted one) has nothing to keep: its new key is deleted again.
    ctx.session.current.keys[change.name] !== undefined ? keepPending : undefined,
  );
  await deleteAll(ctx, change);
  return { created };
}

async function update(ctx: StepContext, change: PlannedChange): Promise<ChangeResult> {
  const adapter = adapterFor(ctx, change.provider);
  if (!adapter.update) throw new InternalError(`Expected provider "${change.provider}" to support updates of ${change.kind}, got none`);
  const record = ctx.session.current.keys[change.name];
  if (!record) throw new InternalError(`Expected a state record for "${change.name}" to update, got none`);
  const key = desiredKey(ctx, change);
  const live: LiveKey = {
    provider: change.provider,
    kind: change.kind,
    owner: change.owner,
    id: record.current.id,
    status: 'active',
    attributes: change.before ?? {},
  };
  const result = await adapter.update({ key, live, changes: changedAttributes(change), signal: ctx.signal });
  // Declared attributes take the new values; computed ones recorded at creation (e.g. a
  // fingerprint) stay.
  await ctx.session.update((s) => setCurrent(s, meta(change), { ...record.current, attributes: { ...record.current.attributes, ...key.attributes } }));
  return { created: result.live };
}

/**
 * What an update changes: the attributes whose planned value differs from the one before.
 * The plan's `after` repeats every attribute, and an adapter may refuse to be asked to
 * change one its kind cannot change in place.
 */
function changedAttributes(change: PlannedChange): Attributes {
  const before = change.before ?? {};
  return Object.fromEntries(Object.entries(change.after ?? {}).filter(([name, value]) => before[name] !== value));
}

/**
 * Deletes every id the change lists, one at a time, committing each. Retiring keys go
 * before the current one, so a record never loses its current key while others remain.
 */
async function deleteAll(ctx: StepContext, change: PlannedChange): Promise<void> {
  const current = ctx.session.current.keys[change.name]?.current.id;
  const ordered = [...change.deletes.filter((d) => d.id !== current), ...change.deletes.filter((d) => d.id === current)];
  for (const ref of ordered) {
    await deleteLiveKey(ctx, { name: change.name, ...ref }, (s) => forgetId(forgetClaimsOn(s, ref), change.name, ref.id));
  }
}

/** Drops a deleted id from its record (the journal forgets it through forgetClaimsOn). */
function forgetId(next: KeyplanState, name: string, id: string): KeyplanState {
  const record = next.keys[name];
  if (!record) return next;
  // A deleted current key of a record that still has retiring keys stays recorded: the
  // rotation that deleted it creates its successor next, and if that never happens the
  // next plan sees the current key missing and re-creates it.
  if (record.current.id === id && record.retiring.length > 0) return next;
  return removeInstance(next, name, id);
}

function withoutVerifyFields(p: PendingInstance): KeyInstance {
  const { unverifiedSince: _u, verifyError: _e, ...instance } = p;
  return instance;
}

function meta(change: PlannedChange): { name: string; kind: string; provider: string; owner: string } {
  return { name: change.name, kind: change.kind, provider: change.provider, owner: change.owner };
}

/** Declared keys by name, per config: a step looks its key up without a scan of every key. */
const keysByName = new WeakMap<readonly DesiredKey[], ReadonlyMap<string, DesiredKey>>();

function desiredKey(ctx: StepContext, change: PlannedChange): DesiredKey {
  let index = keysByName.get(ctx.config.keys);
  if (index === undefined) {
    index = new Map(ctx.config.keys.map((k) => [k.name, k]));
    keysByName.set(ctx.config.keys, index);
  }
  const key = index.get(change.name);
  if (!key) throw new InternalError(`Expected key "${change.name}" in the config for a ${change.action}, got none`);
  return key;
}
