/**
 * `--target NAME`: the names a targeted plan may touch. A declared target brings the keys
 * it depends on (transitively), as Terraform does; a name that is only in state (a key
 * removed from keys.yaml, or the key an interrupted apply left behind) is deleted only when
 * it is named itself.
 */
import type { DesiredKey } from '../model/desired.js';
import type { Intent } from '../model/state.js';
import { claimantNames } from '../state/journal.js';
import { compareText, type PlanContext } from './context.js';
import { planDiagnostic, PLAN_CODES } from './diagnostics.js';

/** Names a plan covers: undefined means every name (no `--target`). */
export type TargetSet = ReadonlySet<string> | undefined;

/**
 * Resolves `--target` names. Besides declared and recorded names, a name counts whose create
 * intents claim a live key (state/journal.ts): the plan deletes that key. Unknown names,
 * including those of intents that claim nothing, become warnings.
 */
export function resolveTargets(
  ctx: PlanContext,
  declared: ReadonlyMap<string, DesiredKey>,
  targets: readonly string[] | undefined,
  intents: readonly Intent[],
): TargetSet {
  if (targets === undefined || targets.length === 0) return undefined;
  // Terraform's "Resource targeting is in effect" warning, in keyplan's words: in every output format.
  const named = [...new Set(targets)].sort(compareText).join(', ');
  ctx.diagnostics.push(
    planDiagnostic(
      'warning',
      PLAN_CODES.targeting,
      `Resource targeting is in effect: this plan covers only ${named} and the keys they depend on, so it may not show every change keys.yaml asks for. --target is for exceptional situations, such as recovering from an error, not for routine use.`,
    ),
  );
  const leftovers = claimantNames(ctx.journal, intents);
  const out = new Set<string>();
  const pending: string[] = [];
  for (const name of [...new Set(targets)].sort(compareText)) {
    if (declared.has(name)) pending.push(name);
    else if (ctx.records.has(name) || leftovers.has(name)) out.add(name);
    else {
      const message = `--target ${name}: no key of that name is declared in keys.yaml or recorded in state`;
      ctx.diagnostics.push(planDiagnostic('warning', PLAN_CODES.targetUnknown, message));
    }
  }
  // Iterative walk with a visited set: terminates even if the (unvalidated) graph has cycles.
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    for (const dep of declared.get(name)?.dependsOn ?? []) {
      if (declared.has(dep) && !out.has(dep)) pending.push(dep);
    }
  }
  return out;
}

/** Whether a name is covered by the target set. */
export function isTargeted(targets: TargetSet, name: string): boolean {
  return targets === undefined || targets.has(name);
}
