/**
 * Which keys of an apply failed and which were skipped, and why, for the end of the run:
 * the human view lists them under the summary sentence, the JSON stream's final
 * `change_summary` carries the same list. Built here once so both say the same words.
 */
import type { ApplyResult } from '../apply/applier.js';
import { redactText } from '../log/logger.js';
import type { Action, Plan } from '../model/plan.js';
import { noun } from '../apply/progress.js';

/** A change that failed: its key and what went wrong (first line of the error, secret-free). */
export interface FailedKey {
  readonly name: string;
  readonly address: string;
  readonly action: Action;
  readonly error: string;
}

/** A change that did not run: `depends on X, which failed` (or was skipped), or `interrupted`. */
export interface SkippedKey {
  readonly name: string;
  readonly address: string;
  readonly reason: string;
  /** The key it waited for, when a dependency stopped it. */
  readonly dependsOn?: string;
}

/** The failed and skipped keys of `result`, in plan order (sorted by address). */
export function applyOutcomes(plan: Plan, result: ApplyResult): { readonly failed: FailedKey[]; readonly skipped: SkippedKey[] } {
  const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
  const failed: FailedKey[] = [];
  const skipped: SkippedKey[] = [];
  for (const change of plan.changes) {
    const o = result.outcomes.get(change.address);
    if (o?.outcome === 'failed') {
      const message = o.error instanceof Error ? o.error.message : String(o.error);
      failed.push({ name: change.name, address: change.address, action: change.action, error: redactText(message.split('\n')[0] ?? '') });
    } else if (o?.outcome === 'skipped') {
      if (o.because === 'interrupted') {
        skipped.push({ name: change.name, address: change.address, reason: 'interrupted' });
        continue;
      }
      const blocker = byAddress.get(o.because);
      const name = blocker?.name ?? o.because;
      const how = result.outcomes.get(o.because)?.outcome === 'failed' ? 'failed' : 'was skipped';
      skipped.push({ name: change.name, address: change.address, reason: `depends on ${name}, which ${how}`, dependsOn: name });
    }
  }
  return { failed, skipped };
}

/** The lines under a partial apply's summary: `  failed: etl (creation failed)`, `  skipped: report (depends on etl, which failed)`. */
export function applyOutcomeLines(plan: Plan, result: ApplyResult): string[] {
  const { failed, skipped } = applyOutcomes(plan, result);
  return [...failed.map((f) => `  failed: ${f.name} (${noun(f.action)} failed)`), ...skipped.map((s) => `  skipped: ${s.name} (${s.reason})`)];
}
