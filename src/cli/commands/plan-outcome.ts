/** What counts as "changes" for exit codes: any change other than no-op. Unmanaged keys and warnings alone are not changes. */
import type { Plan } from '../../model/plan.js';

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op');
}
