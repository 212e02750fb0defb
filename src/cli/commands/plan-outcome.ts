/** What counts as "changes" for exit codes: any planned change. Unmanaged keys and warnings alone are not changes. */
import type { Plan } from '../../model/plan.js';

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0;
}
