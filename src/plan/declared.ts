/**
 * The change (if any) of one declared key: create it, re-create it after drift, rotate it,
 * update it in place, retire the keys it replaced once their overlap has elapsed, or
 * continue a rotation whose new key has not authenticated yet (unverified.ts).
 */
import type { LiveKey, Scope } from '../model/live.js';
import type { ManagedKey } from '../model/state.js';
import type { KindSpec } from '../providers/contract.js';
import type { Action, Reason } from '../model/plan.js';
import { formatDuration } from '../model/duration.js';
import { findLive, isKnownKind, parseTime, scopeWasRead, specOf, type PlanContext } from './context.js';
import { keyDiagnostic, PLAN_CODES, type KeyLocation } from './diagnostics.js';
import { addDeleting, addressOf, beforeAttributes, overlapNote, type Draft } from './draft.js';
import { rotationTrigger, updateTrigger } from './reasons.js';
import { continueUnverified } from './unverified.js';

/** The outcome for one declared key; `creates` tells whether a new key is made regardless of rotation. */
export interface DeclaredOutcome {
  readonly draft?: Draft;
  readonly creates: boolean;
}

/** Plans one declared key. `requested` is true when `--rotate` names it. */
export function planDeclared(ctx: PlanContext, at: KeyLocation, requested: boolean): DeclaredOutcome {
  const d = at.key;
  if (!isKnownKind(ctx, d.kind)) {
    const message = `unknown key kind "${d.kind}" for ${d.name}; keyplan cannot plan it`;
    ctx.diagnostics.push(keyDiagnostic('error', PLAN_CODES.unknownKind, message, at, 'kind'));
  }
  const spec = specOf(ctx, d.kind);
  const record = ctx.records.get(d.name);
  if (record === undefined) return { draft: newDraft(at, spec, 'create', 'new'), creates: true };

  const recordScope: Scope = { provider: record.provider, kind: record.kind, owner: record.owner };
  const current = findLive(ctx, recordScope, record.current.id);
  const due = dueRetiring(ctx, at, record, recordScope, spec);
  if (current === undefined) {
    if (!scopeWasRead(ctx, recordScope)) {
      const message = `the live keys of ${record.provider} ${record.kind} ${record.owner} were not read; ${d.name} is left as it is`;
      ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.scopeNotRead, message, at));
      return { creates: false };
    }
    const draft = newDraft(at, spec, 'create', 'drift_missing');
    draft.notes.push(`key ${record.current.id} recorded in state no longer exists; a new key is created`);
    mergeDue(draft, due);
    return { draft, creates: true };
  }

  if (record.pending !== undefined) {
    // A rotation whose new key never authenticated continues before any other reason counts.
    const draft = rotateDraft(ctx, at, spec, record, current, 'unverified');
    if (continueUnverified(ctx, at, record, current, spec, draft)) {
      mergeDue(draft, due);
      return { draft, creates: false };
    }
  }
  const trigger = rotationTrigger(ctx, at, record, current, spec, requested);
  if (trigger !== undefined) {
    const draft = rotateDraft(ctx, at, spec, record, current, trigger.reason);
    draft.notes.unshift(...trigger.notes);
    mergeDue(draft, due);
    return { draft, creates: false };
  }
  const update = updateTrigger(record, current, d, spec);
  if (update !== undefined) {
    const draft = newDraft(at, spec, 'update', update.reason);
    // The updated attributes show their live values: after drift those differ from the
    // recorded ones, and the plan must show what the update actually changes.
    const liveValues = Object.fromEntries(Object.keys(update.changes).map((n) => [n, current.attributes[n] ?? null]));
    draft.before = { ...beforeAttributes(record.current.attributes, current, spec.computed), ...liveValues };
    draft.after = { ...draft.before, ...update.changes };
    draft.computed = [];
    draft.sensitive = [];
    mergeDue(draft, due);
    return { draft, creates: false };
  }
  if (due.length > 0) {
    const first = due[0] as Due;
    const draft = newDraft(at, spec, 'retire', due.every((d) => d.after === 'deactivation') ? 'deactivation_elapsed' : 'overlap_elapsed');
    draft.declaredDeps = [];
    draft.before = beforeAttributes(first.attributes, first.live, spec.computed);
    draft.after = null;
    draft.computed = [];
    draft.sensitive = [];
    mergeDue(draft, due);
    return { draft, creates: false };
  }
  return { creates: false };
}

/**
 * A retiring key that is live and whose phase has ended: `deactivate` at the end of its
 * overlap when rotation.deactivate_for is set and the kind can, otherwise `delete`.
 */
interface Due {
  readonly live: LiveKey;
  /** Which phase ended, and when (RFC 3339). */
  readonly after: 'overlap' | 'deactivation';
  readonly endedAt: string;
  readonly step: 'deactivate' | 'delete';
  readonly attributes: ManagedKey['current']['attributes'];
}

function dueRetiring(ctx: PlanContext, at: KeyLocation, record: ManagedKey, scope: Scope, spec: KindSpec): Due[] {
  const due: Due[] = [];
  const deactivateFor = at.key.rotation?.deactivateForMs ?? 0;
  for (const instance of record.retiring ?? []) {
    const live = findLive(ctx, scope, instance.id);
    // A retiring key that is already gone needs nothing; apply drops it from state.
    if (live === undefined) continue;
    const deactivated = instance.deactivatedAt !== undefined;
    // A deactivated key without its end (a hand-edited state) is deleted now rather than kept forever.
    const field = deactivated ? 'deleteAfter' : 'retireAfter';
    const endedAt = deactivated ? (instance.deleteAfter ?? instance.deactivatedAt) : instance.retireAfter;
    const end = parseTime(endedAt);
    if (end === undefined) {
      const message = `state records an unreadable ${field} time "${String(endedAt)}" for ${at.key.name}'s old key ${instance.id}; it is kept`;
      ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.badTimestamp, message, at));
      continue;
    }
    if (ctx.now < end) continue;
    const step = !deactivated && deactivateFor > 0 && spec.canDeactivate === true ? 'deactivate' : 'delete';
    due.push({ live, after: deactivated ? 'deactivation' : 'overlap', endedAt: String(endedAt), step, attributes: instance.attributes });
  }
  return due;
}

function mergeDue(draft: Draft, due: readonly Due[]): void {
  for (const item of due) {
    const ended = item.after === 'overlap' ? `its overlap ended ${item.endedAt}` : `its deactivation period ended ${item.endedAt}`;
    if (item.step === 'delete') {
      addDeleting(draft, item.live);
      draft.notes.push(`old key ${item.live.id} is deleted: ${ended}`);
      continue;
    }
    if (!draft.deactivating.some((k) => k.id === item.live.id)) draft.deactivating.push(item.live);
    const period = formatDuration(draft.deactivateForMs ?? 0);
    draft.notes.push(`old key ${item.live.id} is deactivated: ${ended}; it fails authentication from now on and is deleted ${period} later`);
  }
}

function newDraft(at: KeyLocation, spec: KindSpec, action: Action, reason: Reason): Draft {
  const d = at.key;
  return {
    address: addressOf(d.kind, d.name),
    name: d.name,
    kind: d.kind,
    provider: d.provider,
    owner: d.owner,
    action,
    reason,
    before: null,
    after: { ...(d.attributes ?? {}) },
    computed: [...spec.computed],
    sensitive: [...spec.sensitive],
    deleting: [],
    declaredDeps: [...(d.dependsOn ?? [])],
    dependsOn: [],
    notes: [],
    policyOverlapMs: d.rotation?.overlapMs ?? 0,
    deactivating: [],
    ...(d.rotation?.deactivateForMs !== undefined && spec.canDeactivate === true ? { deactivateForMs: d.rotation.deactivateForMs } : {}),
    requireOverlap: d.rotation?.requireOverlap === true,
    at,
  };
}

function rotateDraft(ctx: PlanContext, at: KeyLocation, spec: KindSpec, record: ManagedKey, current: LiveKey, reason: Reason): Draft {
  const draft = newDraft(at, spec, 'rotate', reason);
  draft.order = spec.rotationOrder;
  draft.before = beforeAttributes(record.current.attributes, current, spec.computed);
  draft.oldKey = current;
  // Retiring keys are tracked in their record's scope; an old key under another owner,
  // provider or kind could not be found there again, so it is deleted in this apply.
  const movesScope = current.owner !== draft.owner || current.provider !== draft.provider || current.kind !== draft.kind;
  if (movesScope && draft.policyOverlapMs > 0) {
    draft.policyOverlapMs = 0;
    draft.notes.push(`the old key belongs to ${current.owner}; it is deleted once the new key is delivered, without an overlap`);
  }
  const overlap = draft.policyOverlapMs;
  if (spec.rotationOrder === 'create_before_delete' && overlap > 0) {
    draft.overlapMs = overlap;
    draft.notes.push(overlapNote(current.id, formatDuration(overlap), draft.deactivateForMs));
    return draft;
  }
  draft.deleting.push(current);
  if (spec.rotationOrder === 'delete_before_create') {
    if (draft.requireOverlap) {
      const message = `${at.key.name} cannot be rotated with an overlap: ${at.key.kind} keys are deleted before their replacement is created, and rotation.require_overlap is set`;
      ctx.diagnostics.push(keyDiagnostic('error', PLAN_CODES.overlapRequired, message, at, 'rotation.require_overlap'));
    } else if (overlap > 0) {
      draft.notes.push(`${at.key.kind} keys are deleted before their replacement is created; rotation.overlap does not apply`);
    }
  }
  return draft;
}
