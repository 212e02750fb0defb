/**
 * Reasons in words. Shared by the human and Markdown renderers so both explain a change
 * the same way; the codes themselves stay stable in JSON.
 */
import type { PlannedChange, Reason, PendingRetirement } from '../model/plan.js';

const WORDS: Readonly<Record<Reason, string>> = {
  new: 'declared in keys.yaml',
  drift_missing: 'its key was deleted outside keyplan',
  drift_state: 'changed outside keyplan',
  max_age: 'older than rotation.max_age',
  expiring: 'it expires within rotation.before_expiry',
  requested: 'requested with --rotate',
  config_changed: 'a setting that forces a new key changed',
  removed_from_config: 'no longer in keys.yaml',
  overlap_elapsed: 'the rotation overlap has ended',
  deactivation_elapsed: 'its rotation.deactivate_for has ended',
  interrupted_create: 'created by an interrupted apply and never recorded',
  unverified: 'its new key has not authenticated yet',
};

/** A reason code as a phrase; unknown codes (from a newer plan file) print as they are. */
export function reasonWords(reason: Reason): string {
  return Object.prototype.hasOwnProperty.call(WORDS, reason) ? WORDS[reason] : String(reason);
}

/** What happens to the key, after its address: `will be created`, `must be rotated (older than rotation.max_age)`. */
export function changeHeadline(change: PlannedChange): string {
  const why = reasonWords(change.reason);
  switch (change.action) {
    case 'create':
      return change.reason === 'new' ? 'will be created' : `will be created (${why})`;
    case 'rotate':
      if (change.verifies !== undefined) return `rotation is unverified: new key ${change.verifies.id} is verified again`;
      return change.reason === 'requested' ? 'will be rotated, as requested' : `must be rotated (${why})`;
    case 'update':
      return change.reason === 'config_changed' ? 'will be updated in-place' : `will be updated in-place (${why})`;
    case 'delete':
      return `will be deleted (${why})`;
    case 'retire':
      if (change.deletes.length === 0 && (change.deactivates ?? []).length > 0) return `will deactivate its old key (${why})`;
      return `will retire its old key (${why})`;
  }
}

/** One rotation in its overlap, e.g. `acme.api_key.ci: old key aa:bb is kept until T; the first apply after that retires it`. */
export function pendingLine(p: PendingRetirement): string {
  return `${p.address}: old key ${p.id} is kept until ${p.retireAfter}; the first apply after that retires it`;
}

/** Heading of the rotations-in-progress section. */
export const PENDING_HEADING = 'Rotations in progress (not changes yet):';
