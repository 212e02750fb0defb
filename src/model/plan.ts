/**
 * The plan: the planner's output and the renderers' only input. Plain, sorted,
 * deterministic data with no secrets and no timestamps of its own.
 */
import type { Attributes } from './desired.js';
import type { LiveKey, Scope } from './live.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { InstancePhase } from './phases.js';

/**
 * What happens to a key. There is no import action: `keyplan import NAME ID` adopts a key
 * into the state outside any plan, and plans only name that command for recoverable keys.
 * Nor is there a no-op: a key that stays as it is has no change.
 */
export type Action = 'create' | 'update' | 'rotate' | 'delete' | 'retire';

/** Why. Stable codes: renderers, JSON and tests rely on them. */
export type Reason =
  | 'new' // declared, never created
  | 'drift_missing' // keyplan's key was deleted outside keyplan
  | 'drift_state' // the live key's state differs from the declared one
  | 'max_age' // older than rotation.max_age
  | 'expiring' // within rotation.before_expiry of its expiry
  | 'requested' // --rotate NAME
  | 'config_changed' // an attribute that forces replacement changed
  | 'removed_from_config' // managed, no longer declared
  | 'overlap_elapsed' // a rotated-out key whose overlap has passed
  | 'deactivation_elapsed' // a rotated-out key kept deactivated whose rotation.deactivate_for has passed
  | 'interrupted_create' // created by a run that died before recording it
  | 'unverified'; // a rotation's new key has not authenticated yet (state's pending key)

/** A live key by scope and id: what a change deletes (a changed `user` leaves the old key in the old scope). */
export interface LiveRef extends Scope {
  readonly id: string;
}

/** Rotation order: new key first (overlap) or old key first (quota). */
export type RotationOrder = 'create_before_delete' | 'delete_before_create';

/** The planned change of one key (one block in the human plan). */
export interface PlannedChange {
  /** `kind.name`, e.g. `acme.api_key.ci-deployer`; the sort key. */
  readonly address: string;
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  readonly action: Action;
  readonly reason: Reason;
  /** For rotate: which key goes first. */
  readonly order?: RotationOrder;
  /** Non-secret attributes of the existing key (null for create). */
  readonly before: Attributes | null;
  /** Non-secret attributes after the change (null for delete/retire). */
  readonly after: Attributes | null;
  /** Names of attributes only known after apply (e.g. fingerprint). */
  readonly computed: readonly string[];
  /** Names of sensitive attributes the change produces (e.g. private_key); never with values. */
  readonly sensitive: readonly string[];
  /** Live ids this change deletes (delete, retire, the old key of a rotate, an interrupted create). */
  readonly deletes: readonly LiveRef[];
  /** Retiring keys this change deactivates (their overlap ended and rotation.deactivate_for is set). Absent in older plans. */
  readonly deactivates?: readonly LiveRef[];
  /** rotation.deactivate_for (ms): how long a deactivated key stays before a later apply deletes it (deactivates, and the old key of a rotate). */
  readonly deactivateForMs?: number;
  /**
   * For a rotate whose new key exists but never authenticated (reason `unverified`): that key,
   * verified again from its outputs; once it authenticates the rotation continues (the old key
   * retires with its overlap). Nothing is created. Absent in older plans.
   */
  readonly verifies?: LiveRef;
  /** Names of keys whose changes must finish first. */
  readonly dependsOn: readonly string[];
  /** For rotate with overlap: how long (ms) the old key lives on after the new one is delivered. */
  readonly overlapMs?: number;
  /** Plain sentences worth a reviewer's attention (quota reordering, retire due dates). */
  readonly notes: readonly string[];
}

/** Counts of the summary line `Plan: N to create, N to rotate, N to update, N to delete.` */
export interface PlanSummary {
  readonly create: number;
  readonly rotate: number;
  readonly update: number;
  readonly delete: number;
  /** Changes that import, plus live keys carrying a managed name's marker that wait for `keyplan import`. */
  readonly import: number;
}

/**
 * A rotation still in its overlap: the replaced key stays live until `retireAfter`, when
 * a later apply deletes it (a `retire` change then). Not a change itself.
 */
export interface PendingRetirement {
  readonly address: string;
  readonly name: string;
  readonly kind: string;
  /** The old key kept alive. */
  readonly id: string;
  /** RFC 3339: from when on the next apply retires it. */
  readonly retireAfter: string;
}

/** The rotation phases of one declared key with a rotation in progress or planned (model/phases.ts), before the plan is applied. */
export interface KeyPhases {
  readonly address: string;
  readonly name: string;
  readonly kind: string;
  readonly instances: readonly InstancePhase[];
}

/** A plan. `changes` holds only keys that change, sorted by address; an empty list is "No changes". */
export interface Plan {
  readonly formatVersion: 1;
  readonly changes: readonly PlannedChange[];
  /** Live keys in the read scopes that no declaration or state record claims. Never touched. */
  readonly unmanaged: readonly LiveKey[];
  /** Warnings, and errors that make the plan unappliable. */
  readonly diagnostics: readonly Diagnostic[];
  /** Rotations in their overlap and when each old key is due (sorted by address, id). Absent in plans made before it existed. */
  readonly pending?: readonly PendingRetirement[];
  /** Each rotating key's phases (sorted by address). Absent in plans made before it existed. */
  readonly phases?: readonly KeyPhases[];
  readonly summary: PlanSummary;
  /** True when a diagnostic is an error: the plan is shown but cannot be applied. */
  readonly errored: boolean;
}

/**
 * Whether the plan has anything to do or to resolve: a change, or a marked key waiting for
 * `keyplan import` (counted in the summary, though apply does not adopt it).
 * `plan --detailed-exitcode` and every view's "No changes" line use this.
 */
export function planHasChanges(plan: Pick<Plan, 'changes' | 'summary'>): boolean {
  return plan.changes.length > 0 || plan.summary.import > 0;
}

/** What an apply did, by outcome: the counts its summary sentence and exit code come from. */
export interface ApplyCounts {
  readonly created: number;
  readonly rotated: number;
  readonly updated: number;
  readonly deleted: number;
  readonly failed: number;
  readonly skipped: number;
}
