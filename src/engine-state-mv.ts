/**
 * `keyplan state mv OLD NEW` (Terraform's `state mv`): records key OLD under the name NEW,
 * so renaming it in keys.yaml does not rotate it. Under the state lock, in one state write
 * (or none with `dryRun`). Refused, with nothing written, when OLD is not recorded, NEW is
 * recorded already (Terraform refuses a move onto an existing address too), NEW is not a
 * valid key name, or a journal intent or an unverified rotation involves either name: an
 * intent names the key it was written for, and the next run acts on it by that name, so
 * moving the record away from it would split what one key's recovery needs.
 */
import { KeyplanError } from './errors/errors.js';
import type { Workspace } from './engine.js';
import { logger } from './log/logger.js';
import type { KeyplanState, ManagedKey } from './model/state.js';
import { STATE_CODES } from './state/codes.js';
import { renameKey } from './state/mutations.js';

/** The key name rule of keys.yaml (config/schema-base.ts `definitions.name`; a test keeps them equal). */
export const KEY_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
/** The longest key name keys.yaml allows. */
export const KEY_NAME_MAX_LENGTH = 64;

/** What a move did (or, with `dryRun`, would do). */
export interface MoveResult {
  /** The record as it is (or would be) stored under the new name. */
  readonly record: ManagedKey;
  /** The state written; with `dryRun`, the state read, unchanged. */
  readonly state: KeyplanState;
  /** Whether keys.yaml declares the new name (if not, the next plan deletes the key). */
  readonly declared: boolean;
  /** Whether keys.yaml still declares the old name (if so, the next plan creates a new key for it). */
  readonly oldDeclared: boolean;
}

/** Renames `from` to `to` in `state`, or throws the reason it may not; pure. */
export function movedState(state: KeyplanState, from: string, to: string): { readonly next: KeyplanState; readonly record: ManagedKey } {
  const refuse = (message: string): never => {
    throw new KeyplanError(`cannot move ${from} to ${to}: ${message}; the state was not changed`, { code: STATE_CODES.moveRefused, source: 'user' });
  };
  const record = state.keys[from];
  if (record === undefined) throw new KeyplanError(`no key named "${from}" in the state`, { code: STATE_CODES.unknownKey, source: 'user' });
  if (to === from) refuse('the names are the same');
  if (!KEY_NAME_PATTERN.test(to) || to.length > KEY_NAME_MAX_LENGTH) {
    refuse(`"${to}" is not a key name (a-z, 0-9, "-" and "_", starting with a letter or digit, at most ${KEY_NAME_MAX_LENGTH} characters)`);
  }
  if (state.keys[to] !== undefined) refuse(`the state already records a key named "${to}" (${state.keys[to]?.kind} ${state.keys[to]?.current.id})`);
  const intents = state.intents.filter((i) => i.name === from || i.name === to);
  if (intents.length > 0) {
    const what = intents.map((i) => `${i.operation} of ${i.name} started ${i.startedAt}`).join(', ');
    refuse(`an interrupted apply left a journal entry (${what}); run keyplan apply first, which settles it`);
  }
  if (record.pending !== undefined) {
    refuse(`its rotation is waiting for the new key ${record.pending.id} to authenticate; run keyplan apply to finish (or roll back) the rotation first`);
  }
  const next = renameKey(state, from, to);
  return { next, record: next.keys[to] as ManagedKey };
}

/** `keyplan state mv`: under the lock, renames `from` to `to` in one write, or with `dryRun` writes nothing. */
export function moveStateKey(ws: Workspace, from: string, to: string, options: { readonly dryRun: boolean }): Promise<MoveResult> {
  return ws.withLock('state mv', async (state) => {
    const { next, record } = movedState(state, from, to);
    const names = new Set(ws.config.keys.map((k) => k.name));
    const facts = { record, declared: names.has(to), oldDeclared: names.has(from) };
    if (options.dryRun) return { ...facts, state };
    const written = await ws.store.write(next);
    logger().debug('key moved in state', { from, to, serial: written.serial });
    return { ...facts, state: written };
  });
}
