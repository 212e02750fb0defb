/**
 * The two summary sentences every view ends with: the plan's counts
 * (`Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.`) and an apply's outcome
 * (`Apply complete! Keys: 1 created, ...`). Built here only, so the human view, the
 * Markdown view, the JSON stream's `@message` and `apply` say exactly the same words.
 */
import type { ApplyCounts, PlanSummary } from '../model/plan.js';

/** How the leading word of a sentence is set (bold in the human view). @default as is */
export type LabelStyle = (label: string) => string;

const plain: LabelStyle = (label) => label;

/** `Plan: N to create, N to rotate, N to update, N to delete.` (imports first, only when there are some). */
export function planSummarySentence(s: PlanSummary, label: LabelStyle = plain): string {
  const parts = [`${s.create} to create`, `${s.rotate} to rotate`, `${s.update} to update`, `${s.delete} to delete`];
  if (s.import > 0) parts.unshift(`${s.import} to import`);
  return `${label('Plan:')} ${parts.join(', ')}.`;
}

export type { ApplyCounts } from '../model/plan.js';

/** Whether some change failed or did not run. */
export function isPartialApply(c: ApplyCounts): boolean {
  return c.failed > 0 || c.skipped > 0;
}

/** `Apply complete! Keys: ...` or, when some change failed or was skipped, `Apply finished with errors. Keys: ...; N failed, M skipped.` */
export function applySummarySentence(c: ApplyCounts): string {
  const done = `${c.created} created, ${c.rotated} rotated, ${c.updated} updated, ${c.deleted} deleted`;
  return isPartialApply(c) ? `Apply finished with errors. Keys: ${done}; ${c.failed} failed, ${c.skipped} skipped.` : `Apply complete! Keys: ${done}.`;
}
