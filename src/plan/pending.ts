/**
 * Rotations in progress: old keys kept alive for their overlap whose retire time has not
 * come yet. They are not changes, but a reviewer (and a pipeline) should see which phase
 * each rotation is in and when its next step is due.
 */
import type { PendingRetirement } from '../model/plan.js';
import { compareText, findLive, parseTime, type PlanContext } from './context.js';
import { addressOf } from './draft.js';

/** Retiring keys of the declared, targeted records that are live and not yet due. */
export function pendingRetirements(ctx: PlanContext, isIncluded: (name: string) => boolean): PendingRetirement[] {
  const out: PendingRetirement[] = [];
  ctx.records.forEach((record, name) => {
    if (!isIncluded(name)) return;
    for (const instance of record.retiring ?? []) {
      const after = parseTime(instance.retireAfter);
      if (after === undefined || ctx.now >= after) continue;
      if (findLive(ctx, record, instance.id) === undefined) continue;
      out.push({ address: addressOf(record.kind, name), name, kind: record.kind, id: instance.id, retireAfter: instance.retireAfter });
    }
  });
  return out.sort((a, b) => compareText(a.address, b.address) || compareText(a.id, b.id));
}
