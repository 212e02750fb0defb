/**
 * The order constraints of a plan. A change waits for the changes of the keys its
 * declaration depends on, and every create or rotation of an owner with a quota waits for
 * that owner's deletions and retirements, which free the slots it needs.
 */
import type { LiveKey } from '../model/live.js';
import { compareText, type PlanContext } from './context.js';
import type { Draft } from './draft.js';
import { draftPool, poolOf } from './quota.js';

/** Fills `dependsOn` of every draft (sorted, without duplicates or itself). */
export function linkDependencies(ctx: PlanContext, drafts: readonly Draft[]): void {
  const changed = new Set(drafts.map((d) => d.name));
  const freeing = drafts.filter((d) => d.action === 'delete' || d.action === 'retire');
  const poolsFreedBy = new Map<Draft, Set<string>>();
  for (const d of freeing) poolsFreedBy.set(d, poolsOf(ctx, d.deleting));
  for (const d of drafts) {
    const deps = new Set<string>();
    // Deletions carry no declared dependencies: a create waiting on a retire whose key in
    // turn waited on that create would be a cycle.
    if (d.action === 'create' || d.action === 'rotate' || d.action === 'update') {
      for (const name of d.declaredDeps) if (changed.has(name)) deps.add(name);
    }
    if (d.action === 'create' || d.action === 'rotate') {
      const pool = draftPool(ctx, d);
      if (pool !== undefined) {
        for (const f of freeing) if (poolsFreedBy.get(f)?.has(pool) === true) deps.add(f.name);
      }
    }
    deps.delete(d.name);
    d.dependsOn = [...deps].sort(compareText);
  }
}

function poolsOf(ctx: PlanContext, keys: readonly LiveKey[]): Set<string> {
  const out = new Set<string>();
  for (const k of keys) {
    const pool = poolOf(ctx, k.provider, k.kind, k.owner, k.attributes);
    if (pool !== undefined) out.add(pool);
  }
  return out;
}
