/**
 * `plan()`: the pure planner. Inputs in, Plan out: no I/O, no clock, no randomness, and
 * output sorted by address. It never throws; problems become diagnostics.
 */
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey, LiveSnapshot } from '../model/live.js';
import { scopeKey } from '../model/live.js';
import type { KeyPhases, Plan, PlannedChange, PlanSummary, PendingRetirement } from '../model/plan.js';
import type { KeyplanState } from '../model/state.js';
import type { KindSpec } from '../providers/contract.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { buildContext, compareText, liveIdentity, type PlanContext } from './context.js';
import { planDeclared } from './declared.js';
import { linkDependencies } from './dependencies.js';
import { internalDiagnostic, keyDiagnostic, planDiagnostic, PLAN_CODES, type KeyLocation } from './diagnostics.js';
import { freezeDraft, type Draft } from './draft.js';
import { orderByMatch, refuseCycles } from './match.js';
import { checkNameFamilies } from './name-families.js';
import { checkPlanInput } from './input-shape.js';
import { intentClaims, planInterrupted, planRemoved } from './orphans.js';
import { applyQuotas } from './quota.js';
import { noteRecoverable } from './recoverable.js';
import { isTargeted, resolveTargets } from './targets.js';
import { pendingRetirements } from './pending.js';
import { rotationPhases } from './rotation-phases.js';

/** Options of one planning run. */
export interface PlanOptions {
  /** The current time, epoch ms; the planner has no clock of its own. */
  readonly now: number;
  /** Metadata of every key kind, by kind name (normally `KINDS` from providers/kinds). */
  readonly kinds: Readonly<Record<string, KindSpec>>;
  /** `--rotate NAME`: rotate these keys even if nothing else requires it. @default [] */
  readonly rotate?: readonly string[];
  /** `--target NAME`: plan only these keys and the keys they depend on. @default every key */
  readonly targets?: readonly string[];
  /** Output types that can read a delivered secret back (OutputModule.readBack). @default none: an unverified key is replaced */
  readonly readableOutputs?: readonly string[];
}

/**
 * Computes the changes that bring the live keys in line with the declared ones.
 * Synchronous and pure; the same input always gives a deep-equal Plan.
 */
export function plan(desired: readonly DesiredKey[], live: LiveSnapshot, state: KeyplanState, options: PlanOptions): Plan {
  try {
    return planUnsafe(desired, live, state, options);
  } catch (error) {
    // Input the types promise but do not deliver (checkPlanInput), or a bug in a pass: an
    // errored plan without changes keeps the CLI's single error path and cannot be applied.
    return finish([], [], [internalDiagnostic(error)]);
  }
}

function planUnsafe(desired: readonly DesiredKey[], live: LiveSnapshot, state: KeyplanState, options: PlanOptions): Plan {
  checkPlanInput(desired, live, state, options.now);
  const ctx = buildContext(live, state, options.now, options.kinds ?? {}, new Set(options.readableOutputs ?? []));
  const declared = indexDeclared(ctx, desired);
  const names = new Map<string, DesiredKey>();
  declared.forEach((at, name) => names.set(name, at.key));
  const intents = Array.isArray(state?.intents) ? state.intents : [];
  const targets = resolveTargets(ctx, names, options.targets, intents);
  const requested = new Set(options.rotate ?? []);
  const drafts = new Map<string, Draft>();
  const createdAnyway = new Set<string>();

  // forEach, not for…of over entries: each step of that builds an iterator result and an
  // entry pair, which cost more than the step itself at the baseline tier (bin/keyplan.js).
  declared.forEach((at, name) => {
    if (!isTargeted(targets, name)) return;
    const outcome = planDeclared(ctx, at, requested.has(name));
    if (outcome.draft !== undefined) drafts.set(outcome.draft.address, outcome.draft);
    if (outcome.creates) createdAnyway.add(name);
  });
  ctx.records.forEach((record, name) => {
    if (declared.has(name) || !isTargeted(targets, name)) return;
    const draft = planRemoved(ctx, name, record);
    if (draft !== undefined) drafts.set(draft.address, draft);
  });
  planInterrupted(ctx, intents, drafts, (name) => isTargeted(targets, name));
  checkNameFamilies(ctx, declared, drafts, intentClaims(ctx, intents), (name) => isTargeted(targets, name));
  warnRotate(ctx, [...requested].sort(compareText), declared, targets, createdAnyway);

  const sorted = [...drafts.values()].sort((a, b) => compareText(a.address, b.address) || compareText(a.name, b.name));
  applyQuotas(ctx, sorted);
  orderByMatch(ctx, sorted);
  linkDependencies(ctx, sorted);
  refuseCycles(ctx, sorted);
  const unmanaged = unmanagedKeys(ctx, intentClaims(ctx, intents));
  const recoverable = noteRecoverable(ctx, unmanaged, declared, drafts, (name) => isTargeted(targets, name));
  const pending = pendingRetirements(ctx, (name) => declared.has(name) && isTargeted(targets, name));
  const phases = rotationPhases(ctx, names, sorted, (name) => isTargeted(targets, name));
  return finish(sorted.map(freezeDraft), unmanaged, ctx.diagnostics, pending, recoverable, phases);
}

/** Declared keys by name, in file order; a repeated name is an error and its later entries are ignored. */
function indexDeclared(ctx: PlanContext, desired: readonly DesiredKey[]): Map<string, KeyLocation> {
  const out = new Map<string, KeyLocation>();
  (Array.isArray(desired) ? desired : []).forEach((key, index) => {
    const at = { index, key };
    if (out.has(key.name)) {
      const message = `key name "${key.name}" is declared more than once; only the first is planned`;
      ctx.diagnostics.push(keyDiagnostic('error', PLAN_CODES.duplicateName, message, at, 'name'));
    } else {
      out.set(key.name, at);
    }
  });
  return out;
}

function warnRotate(
  ctx: PlanContext,
  requested: readonly string[],
  declared: ReadonlyMap<string, KeyLocation>,
  targets: ReadonlySet<string> | undefined,
  createdAnyway: ReadonlySet<string>,
): void {
  for (const name of requested) {
    let message: string | undefined;
    let code: string = PLAN_CODES.rotateUnknown;
    if (!declared.has(name)) message = `--rotate ${name}: no key of that name is declared in keys.yaml`;
    else if (targets !== undefined && !targets.has(name)) {
      code = PLAN_CODES.rotateNotTargeted;
      message = `--rotate ${name}: the key is not among the --target keys, so it is not rotated`;
    } else if (createdAnyway.has(name)) {
      code = PLAN_CODES.rotateCreated;
      message = `--rotate ${name}: the key is created by this plan anyway; there is nothing to rotate`;
    }
    if (message !== undefined) ctx.diagnostics.push(planDiagnostic('warning', code, message));
  }
}

/** Live keys in read scopes that no state record and no create intent claims. */
function unmanagedKeys(ctx: PlanContext, intentClaimed: ReadonlySet<string>): LiveKey[] {
  return ctx.liveKeys
    .filter((k) => {
      const identity = liveIdentity(k.provider, k.kind, k.id);
      return ctx.readScopes.has(scopeKey(k)) && !ctx.claimedBy.has(identity) && !intentClaimed.has(identity);
    })
    .sort((a, b) => compareText(a.provider, b.provider) || compareText(a.kind, b.kind) || compareText(a.owner, b.owner) || compareText(a.id, b.id));
}

function finish(
  changes: readonly PlannedChange[],
  unmanaged: readonly LiveKey[],
  diagnostics: readonly Diagnostic[],
  pending: readonly PendingRetirement[] = [],
  recoverable = 0,
  phases: readonly KeyPhases[] = [],
): Plan {
  const count = (...actions: string[]): number => changes.filter((c) => actions.includes(c.action)).length;
  // A retire that only deactivates old keys changes them in place; one that deletes any is a delete.
  const deactivateOnly = changes.filter((c) => c.action === 'retire' && c.deletes.length === 0).length;
  const summary: PlanSummary = {
    create: count('create'),
    rotate: count('rotate'),
    update: count('update') + deactivateOnly,
    delete: count('delete', 'retire') - deactivateOnly,
    // Marked keys waiting for `keyplan import` under a name the state records otherwise.
    import: recoverable,
  };
  const sortedDiagnostics = dedupe([...diagnostics].sort(compareDiagnostics));
  return {
    formatVersion: 1,
    changes,
    unmanaged,
    diagnostics: sortedDiagnostics,
    pending,
    ...(phases.length > 0 ? { phases } : {}),
    summary,
    errored: sortedDiagnostics.some((d) => d.severity === 'error'),
  };
}

/** Errors first, then by place in the config, code and message, in code-unit order. */
function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.severity, b.severity) ||
    compareText(a.range?.file ?? '', b.range?.file ?? '') ||
    (a.range?.line ?? 0) - (b.range?.line ?? 0) ||
    (a.range?.column ?? 0) - (b.range?.column ?? 0) ||
    compareText(a.path ?? '', b.path ?? '') ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  );
}

/** The same problem found by two passes is reported once. */
function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify([d.severity, d.code, d.message, d.path ?? '']);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
