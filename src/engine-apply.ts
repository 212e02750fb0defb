/**
 * The shapes of `Workspace.planAndApply` and `Workspace.applySaved`: what they ask of
 * their host between planning and changing anything (show the plan, approve it), and
 * how a run ended. The host turns the outcome into words and an exit code.
 */
import type { ApplyResult } from './apply/applier.js';
import { planHasChanges, type Plan } from './model/plan.js';

/**
 * A change, or a marked key waiting for `keyplan import` (model/plan.ts `planHasChanges`).
 * Unmanaged keys, pending retirements and warnings alone are not changes.
 */
export function hasChanges(plan: Plan): boolean {
  return planHasChanges(plan);
}

/** What an apply run asks of its host, in this order; all run under the state lock. */
export interface ApplyHooks {
  /** The plan about to be carried out (for a saved plan: the fresh plan found equal to it), before anything changes. */
  readonly planned?: (plan: Plan) => void;
  /**
   * Approval of a plan with changes, after `planned`; resolving false cancels the run
   * with nothing changed. Absent: approved (`--auto-approve`, or a saved plan).
   */
  readonly approve?: (plan: Plan) => Promise<boolean>;
  /** Called once approved, just before the first change starts. */
  readonly applying?: () => void;
}

/** How an apply run ended. A stale saved plan is not an outcome: it throws StalePlanError. */
export type ApplyOutcome =
  /** The plan has errors; nothing was changed. */
  | { readonly kind: 'errored'; readonly plan: Plan }
  /** Nothing to change. */
  | { readonly kind: 'no_changes'; readonly plan: Plan }
  /** `approve` said no; nothing was changed. */
  | { readonly kind: 'cancelled'; readonly plan: Plan }
  /** The changes ran; `result.counts` says how many failed or were skipped. */
  | { readonly kind: 'applied'; readonly plan: Plan; readonly result: ApplyResult };
