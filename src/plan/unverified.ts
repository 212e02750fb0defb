/**
 * A rotation whose new key never authenticated (state's `pending` key, PHASE-MODEL): the
 * old key is still current. The plan verifies the new key again, from the secret its
 * outputs hold; when no output of the key can be read back, the unverified key is
 * deleted and replaced by a fresh one instead, and the plan says so.
 */
import type { LiveKey } from '../model/live.js';
import type { ManagedKey } from '../model/state.js';
import type { KindSpec } from '../providers/contract.js';
import { formatDuration } from '../model/duration.js';
import { findLive, type PlanContext } from './context.js';
import type { KeyLocation } from './diagnostics.js';
import { UNREADABLE_OUTPUTS } from '../model/verify.js';
import { addDeleting, beforeAttributes, overlapNote, type Draft } from './draft.js';

/**
 * Turns a rotate draft of `record` into the continuation of its unverified rotation, or
 * returns false when the record has no live pending key.
 */
export function continueUnverified(ctx: PlanContext, at: KeyLocation, record: ManagedKey, current: LiveKey, spec: KindSpec, draft: Draft): boolean {
  const pending = record.pending;
  if (pending === undefined) return false;
  const live = findLive(ctx, { provider: record.provider, kind: record.kind, owner: record.owner }, pending.id);
  // Gone (deleted by hand): apply drops it from state, and the rotation starts over if still due.
  if (live === undefined) return false;
  const why = `new key ${pending.id} has not authenticated since ${pending.unverifiedSince}${pending.verifyError !== undefined ? ` (${pending.verifyError})` : ''}`;
  // An apply that found no output holding the secret any more says so (apply/step-reverify.ts UNREADABLE_OUTPUTS).
  const readable = at.key.outputs.some((o) => ctx.readableOutputs.has(o.type)) && pending.verifyError !== UNREADABLE_OUTPUTS;
  draft.reason = 'unverified';
  if (at.key.rotation.verify === false || !readable) {
    // Deleted first: a key that never authenticated serves nobody, and it holds a quota slot.
    addDeleting(draft, live);
    draft.notes.unshift(
      at.key.rotation.verify === false
        ? `${why}; rotation.verify is now false, so it is replaced by a new key that is not verified`
        : `${why}; none of its outputs can be read back to verify it again, so it is deleted and replaced by a new key`,
    );
    return true;
  }
  draft.verifying = live;
  draft.order = 'create_before_delete';
  draft.before = beforeAttributes(record.current.attributes, current, spec.computed);
  draft.after = beforeAttributes(pending.attributes, live, spec.computed);
  draft.computed = [];
  draft.sensitive = [];
  // Only the old key of this rotation leaves, and only after the new key authenticated.
  draft.deleting = draft.deleting.filter((k) => k.id !== current.id);
  const overlap = draft.policyOverlapMs;
  draft.notes = [
    `${why}; this apply verifies it again with the secret its outputs hold`,
    overlap > 0
      ? `once it authenticates it becomes current; ${overlapNote(current.id, formatDuration(overlap), draft.deactivateForMs)}`
      : `once it authenticates it becomes current and old key ${current.id} is deleted`,
  ];
  if (overlap > 0) draft.overlapMs = overlap;
  else {
    delete draft.overlapMs;
    addDeleting(draft, current);
  }
  return true;
}
