/**
 * Keys named at the provider by a unique attribute (KindSpec.matchAttribute, e.g. the
 * alias, unique per cluster). A create or rotation needs its value free when it creates:
 * a live key holding it must be deleted first, by the change itself (delete-before-create)
 * or by another change it then waits for. A value held by a key that stays is refused.
 */
import type { LiveKey } from '../model/live.js';
import { compareText, liveIdentity, scopeWasRead, specOf, type PlanContext } from './context.js';
import { keyDiagnostic, planDiagnostic, PLAN_CODES } from './diagnostics.js';
import type { Draft } from './draft.js';

/** Orders creates after the deletes that free their match value, or reports the value as taken. */
export function orderByMatch(ctx: PlanContext, drafts: readonly Draft[]): void {
  const deletedBy = new Map<string, Draft>();
  for (const d of drafts) {
    for (const k of d.deleting) {
      const identity = liveIdentity(k.provider, k.kind, k.id);
      if (!deletedBy.has(identity)) deletedBy.set(identity, d);
    }
  }
  for (const d of drafts) {
    if (d.action !== 'create' && d.action !== 'rotate') continue;
    const attribute = specOf(ctx, d.kind).matchAttribute;
    const value = attribute === undefined ? undefined : d.after?.[attribute];
    if (attribute === undefined || typeof value !== 'string' || !scopeWasRead(ctx, d)) continue;
    for (const holder of holdersOf(ctx, d, attribute, value)) {
      const by = deletedBy.get(liveIdentity(holder.provider, holder.kind, holder.id));
      if (by === d && deletesFirst(d)) continue;
      if (by !== undefined && by !== d) {
        if (!d.declaredDeps.includes(by.name)) d.declaredDeps = [...d.declaredDeps, by.name];
        continue;
      }
      const own = by === d || d.oldKey?.id === holder.id;
      const who = own ? `its own old key ${holder.id}, which this change deletes only after creating the new one` : describeHolder(ctx, holder);
      const message = `${d.name}: ${attribute} "${value}" is already used in ${d.owner} by ${who}; each ${attribute} must be unique there`;
      ctx.diagnostics.push(keyDiagnostic('error', PLAN_CODES.matchTaken, message, d.at, attribute));
    }
  }
}

/**
 * Reports dependency cycles (e.g. two keys swapping their aliases: each waits for the other
 * to free its alias), which apply could not order. Run after every dependency is linked.
 */
export function refuseCycles(ctx: PlanContext, drafts: readonly Draft[]): void {
  const byName = new Map(drafts.map((d) => [d.name, d] as const));
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (name: string, path: readonly string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const key = [...new Set(cycle)].sort(compareText).join(',');
      if (!reported.has(key)) {
        reported.add(key);
        const message = `the changes of ${cycle.join(' -> ')} wait for each other and cannot be ordered; apply them in two steps (e.g. move one key to a temporary alias first)`;
        ctx.diagnostics.push(planDiagnostic('error', PLAN_CODES.orderCycle, message));
      }
      return;
    }
    state.set(name, 'visiting');
    for (const dep of byName.get(name)?.dependsOn ?? []) if (byName.has(dep)) visit(dep, [...path, name]);
    state.set(name, 'done');
  };
  for (const d of drafts) visit(d.name, []);
}

/** Live keys (not being deleted) in the draft's scope whose attribute carries the value. */
function holdersOf(ctx: PlanContext, d: Draft, attribute: string, value: string): LiveKey[] {
  return [...ctx.liveById.values()]
    .filter((k) => k.provider === d.provider && k.kind === d.kind && k.owner === d.owner && k.attributes?.[attribute] === value)
    .sort((a, b) => compareText(a.id, b.id));
}

/** A create deletes what it lists first (execute-change); a rotation only when delete-first. */
function deletesFirst(d: Draft): boolean {
  return d.action === 'create' || d.order === 'delete_before_create';
}

function describeHolder(ctx: PlanContext, k: LiveKey): string {
  const name = ctx.claimedBy.get(liveIdentity(k.provider, k.kind, k.id));
  return name === undefined
    ? `key ${k.id}, which keyplan does not manage (delete that key, or choose another value)`
    : `key ${k.id} of "${name}", which this plan does not delete`;
}
