/**
 * The plan's rotation phases: for each targeted declared key with a rotation in progress
 * (retiring or unverified keys) or planned (a rotate change), the phase each of its keys is
 * in now and the next one with its date (model/phases.ts), so a reviewer sees where every
 * rotation stands before approving. Retiring keys that are no longer live are left out:
 * they are gone, and apply only drops them from state.
 */
import type { DesiredKey } from '../model/desired.js';
import type { KeyPhases } from '../model/plan.js';
import { keyPhases, type PhaseName } from '../model/phases.js';
import { compareText, findLive, type PlanContext } from './context.js';
import { addressOf, type Draft } from './draft.js';

/** Phases of the rotating keys among `declared` that `isIncluded` accepts, sorted by address. */
export function rotationPhases(
  ctx: PlanContext,
  declared: ReadonlyMap<string, DesiredKey>,
  drafts: readonly Draft[],
  isIncluded: (name: string) => boolean,
): KeyPhases[] {
  const rotating = new Map(drafts.filter((d) => d.action === 'rotate').map((d) => [d.name, d] as const));
  const out: KeyPhases[] = [];
  ctx.records.forEach((record, name) => {
    const key = declared.get(name);
    if (key === undefined || !isIncluded(name)) return;
    const retiring = (record.retiring ?? []).filter((r) => findLive(ctx, record, r.id) !== undefined);
    if (retiring.length === 0 && record.pending === undefined && !rotating.has(name)) return;
    const rotation = rotating.get(name);
    const phases = keyPhases({ ...record, retiring }, ctx.now, key.rotation);
    // This plan rotates the key: its current key moves on in this apply, to the phase the planned order gives it.
    const instances =
      rotation === undefined ? phases : phases.map((p) => (p.role === 'current' ? { ...p, next: { phase: afterRotation(rotation), due: true } } : p));
    out.push({ address: addressOf(record.kind, name), name, kind: record.kind, instances });
  });
  return out.sort((a, b) => compareText(a.address, b.address));
}

/** Where a rotation's old key goes in this apply: its overlap, or (none, or the quota forces delete-first) deleted. */
function afterRotation(draft: Draft): PhaseName {
  return draft.order === 'create_before_delete' && (draft.overlapMs ?? 0) > 0 ? 'overlap' : 'deleted';
}
