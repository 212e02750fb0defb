/**
 * Deactivating retiring keys whose overlap ended (rotation.deactivate_for): the provider
 * makes each inactive, then one state write records `deactivatedAt` and `deleteAfter`.
 *
 * No intent is journaled: `setActive` is idempotent and creates or destroys nothing. A
 * run that dies between the provider call and the write leaves a key inactive that state
 * still records in its (ended) overlap; the next plan deactivates it again, which succeeds
 * at once, and records it then. So no state is ever wrong about what exists.
 */
import { InternalError } from '../errors/errors.js';
import type { PlannedChange } from '../model/plan.js';
import { markDeactivated } from '../state/mutations.js';
import type { StepContext } from './context.js';
import { adapterFor } from './step-delete.js';

/** Deactivates every id the change lists under `deactivates`, committing each. */
export async function deactivateAll(ctx: StepContext, change: PlannedChange): Promise<void> {
  for (const ref of change.deactivates ?? []) {
    const adapter = adapterFor(ctx, ref.provider);
    if (adapter.setActive === undefined) {
      throw new InternalError(`Expected provider "${ref.provider}" to deactivate ${ref.kind} keys (KindSpec.canDeactivate), got no setActive`);
    }
    await adapter.setActive({ kind: ref.kind, owner: ref.owner, id: ref.id, active: false, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    const now = ctx.now();
    const deactivatedAt = new Date(now).toISOString();
    const deleteAfter = new Date(now + (change.deactivateForMs ?? 0)).toISOString();
    await ctx.session.update((s) => markDeactivated(s, change.name, ref.id, deactivatedAt, deleteAfter));
  }
}
