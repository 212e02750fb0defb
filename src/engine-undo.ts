/**
 * `keyplan rotation undo NAME`: the way back when a consumer breaks on a rotated key. While
 * the replaced key still exists (in its overlap, or deactivated), it becomes current again,
 * reactivated first where the provider deactivated it, and the new key is retired through
 * the same phases a rotation uses (overlap, then deactivation where configured, then
 * delete). The caller holds the state lock.
 *
 * Undo cannot put the old secret back into the outputs: keyplan never keeps a secret after
 * delivering it. Consumers that still hold the old credential (which is what the overlap
 * is for) work again; the outputs keep the new key's secret until the next rotation.
 */
import type { KeyCommandDeps } from './engine-connections.js';
import type { KeyplanState, ManagedKey, RetiringInstance } from './model/state.js';
import { restoreRetiring } from './state/mutations.js';
import { KeyplanError } from './errors/errors.js';
import { UNDO_CODES } from './apply/codes.js';

/** What an undo did, for the command's report. */
export interface UndoResult {
  readonly name: string;
  /** The key that is current again. */
  readonly restoredId: string;
  /** Whether it had to be reactivated. */
  readonly reactivated: boolean;
  /** The key that was current and now retires. */
  readonly retiredId: string;
  /** RFC 3339: when the retired key's overlap ends. */
  readonly retireAfter: string;
  /** The state to write. */
  readonly state: KeyplanState;
}

function refuse(message: string): KeyplanError {
  return new KeyplanError(message, { code: UNDO_CODES.refused, source: 'user' });
}

/** The replaced key undo goes back to: the one retired last (rotations append to `retiring`). */
function lastReplaced(record: ManagedKey): RetiringInstance | undefined {
  return record.retiring[record.retiring.length - 1];
}

/** Checks that `name` can go back, reactivates its old key where needed, and returns the new state. Changes nothing when it refuses. */
export async function undoRotation(deps: KeyCommandDeps, state: KeyplanState, name: string, now: number): Promise<UndoResult> {
  const record = state.keys[name];
  if (record === undefined) throw refuse(`cannot undo the rotation of "${name}": the state manages no key of that name`);
  const declared = deps.config.keys.find((k) => k.name === name);
  if (declared === undefined)
    throw refuse(
      `cannot undo the rotation of "${name}": it is not declared in ${deps.config.file} any more (its rotation settings decide how the new key retires)`,
    );
  if (record.pending !== undefined)
    throw refuse(
      `cannot undo the rotation of "${name}": its new key ${record.pending.id} never authenticated, so the old key ${record.current.id} is still current; ` +
        'the next apply verifies the new key again, or remove it with a rotation once keys.yaml says so',
    );
  const old = lastReplaced(record);
  if (old === undefined)
    throw refuse(
      `cannot undo the rotation of "${name}": no replaced key is left to go back to (it was never rotated, or the old key was deleted when its overlap${
        deps.providers.kinds[record.kind]?.canDeactivate ? ' and deactivation' : ''
      } ended)`,
    );
  const reactivated = old.deactivatedAt !== undefined;
  if (reactivated) {
    const adapter = await deps.connections.adapterOf(state, record.provider);
    if (!adapter.setActive) throw refuse(`cannot undo the rotation of "${name}": its old key ${old.id} is inactive and its provider cannot reactivate keys`);
    await adapter.setActive({ kind: record.kind, owner: record.owner, id: old.id, active: true, ...(deps.signal ? { signal: deps.signal } : {}) });
  }
  const retireAfter = new Date(now + declared.rotation.overlapMs).toISOString();
  const next = restoreRetiring(state, name, old.id, new Date(now).toISOString(), retireAfter);
  return { name, restoredId: old.id, reactivated, retiredId: record.current.id, retireAfter, state: next };
}
