/** What counts as "changes" for exit codes. */
import { planHasChanges, type Plan } from '../../model/plan.js';

/** Any change other than no-op, or a marked key waiting for `keyplan import`. Unmanaged keys and other warnings alone are not changes. */
export function hasChanges(plan: Plan): boolean {
  return planHasChanges(plan);
}
