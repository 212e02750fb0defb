/**
 * A change while the planner is still working on it: mutable, and carrying what the
 * later passes (quota, dependencies) need to know but the Plan does not show.
 */
import type { Action, PlannedChange, Reason, RotationOrder } from '../model/plan.js';
import type { AttributeValue, Attributes } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { KeyLocation } from './diagnostics.js';
import { formatDuration } from '../model/duration.js';

/** A planned change under construction. */
export interface Draft {
  readonly address: string;
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  action: Action;
  reason: Reason;
  order?: RotationOrder;
  before: Attributes | null;
  after: Attributes | null;
  computed: readonly string[];
  sensitive: readonly string[];
  /** Live keys this change deletes, in the order they are listed. */
  deleting: LiveKey[];
  /** Declared depends_on names (create/rotate/update only); filtered to changed keys later. */
  declaredDeps: readonly string[];
  dependsOn: string[];
  overlapMs?: number;
  /** Retiring keys this change deactivates (their overlap ended). */
  deactivating: LiveKey[];
  /** rotation.deactivate_for, for a kind that can deactivate. */
  deactivateForMs?: number;
  notes: string[];
  /** For rotate (reason unverified): the existing new key to verify again instead of creating one. */
  verifying?: LiveKey;
  /** For rotate: the key being replaced (kept alive while an overlap runs). */
  oldKey?: LiveKey;
  /** For rotate: the configured overlap, restored or dropped when the quota changes the order. */
  policyOverlapMs: number;
  requireOverlap: boolean;
  /** The declaration, when the key is declared. */
  at?: KeyLocation;
}

/** `kind.name`, the address changes are sorted and targeted by. */
export function addressOf(kind: string, name: string): string {
  return `${kind}.${name}`;
}

/** The note of a rotation whose old key outlives it; the quota pass removes it when it forces delete-first. */
export function overlapNote(id: string, overlap: string, deactivateForMs?: number): string {
  if (deactivateForMs !== undefined && deactivateForMs > 0) {
    return `old key ${id} is kept for ${overlap}, then deactivated for ${formatDuration(deactivateForMs)}, and deleted by later applies`;
  }
  return `old key ${id} is kept for ${overlap} and retired by a later apply`;
}

/** Adds a live key to a draft's deletes once. */
export function addDeleting(draft: Draft, key: LiveKey): void {
  if (!draft.deleting.some((k) => k.id === key.id && k.kind === key.kind && k.provider === key.provider)) {
    draft.deleting.push(key);
  }
}

/** The attributes a user sees for an existing key: its recorded ones plus the computed ones the provider reports. */
export function beforeAttributes(recorded: Attributes | undefined, live: LiveKey, computed: readonly string[]): Attributes {
  const out: Record<string, AttributeValue> = { ...(recorded ?? {}) };
  let sawComputed = false;
  for (const name of computed) {
    const value = live.attributes?.[name];
    if (value !== undefined) {
      out[name] = value;
      sawComputed = true;
    }
  }
  // Without a computed attribute (such as the fingerprint) the live id is the only thing
  // that tells a reviewer which key this is.
  if (!sawComputed) out.id = live.id;
  return out;
}

/** The Plan's view of a draft. */
export function freezeDraft(draft: Draft): PlannedChange {
  const change: PlannedChange = {
    address: draft.address,
    name: draft.name,
    kind: draft.kind,
    provider: draft.provider,
    owner: draft.owner,
    action: draft.action,
    reason: draft.reason,
    ...(draft.order === undefined ? {} : { order: draft.order }),
    before: draft.before,
    after: draft.after,
    computed: [...draft.computed],
    sensitive: [...draft.sensitive],
    deletes: draft.deleting.map((k) => ({ provider: k.provider, kind: k.kind, owner: k.owner, id: k.id })),
    ...(draft.deactivating.length === 0
      ? {}
      : { deactivates: draft.deactivating.map((k) => ({ provider: k.provider, kind: k.kind, owner: k.owner, id: k.id })) }),
    ...(draft.deactivateForMs === undefined || (draft.deactivating.length === 0 && draft.action !== 'rotate')
      ? {}
      : { deactivateForMs: draft.deactivateForMs }),
    ...(draft.verifying === undefined
      ? {}
      : { verifies: { provider: draft.verifying.provider, kind: draft.verifying.kind, owner: draft.verifying.owner, id: draft.verifying.id } }),
    dependsOn: [...draft.dependsOn],
    ...(draft.overlapMs === undefined ? {} : { overlapMs: draft.overlapMs }),
    notes: [...draft.notes],
  };
  return change;
}
