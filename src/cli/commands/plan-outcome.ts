/** What counts as "changes" for exit codes: any change other than no-op, or a marked key waiting for `keyplan import`. Unmanaged keys and other warnings alone are not changes. */
import type { Plan } from '../../model/plan.js';
import { planHasChanges } from '../../model/plan.js';

export function hasChanges(plan: Plan): boolean {
  return planHasChanges(plan);
}
