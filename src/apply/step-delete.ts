/**
 * Deleting a live key: journal the intent, delete through the adapter, then record the
 * delete and clear the intent in one write (state/journal.ts, rules 1 and 2).
 */
import { InternalError } from '../errors/errors.js';
import type { KeyplanState } from '../model/state.js';
import type { ProviderAdapter } from '../providers/contract.js';
import { clearIntent, deleteIntent, recordIntent } from '../state/journal.js';
import { logger } from '../log/logger.js';
import type { StepContext } from './context.js';

/** Which live key to delete, and under which declared name it is known. */
export interface DeleteTarget {
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  readonly id: string;
}

/** The configured adapter of a provider block. */
export function adapterFor(ctx: StepContext, provider: string): ProviderAdapter {
  const adapter = ctx.adapters.get(provider);
  if (!adapter) throw new InternalError(`Expected a configured adapter for provider "${provider}", got none`);
  return adapter;
}

/** Deletes one key; `commit` records the deletion in state once the provider confirmed it. */
export async function deleteLiveKey(ctx: StepContext, target: DeleteTarget, commit: (state: KeyplanState) => KeyplanState): Promise<void> {
  const intentId = ctx.newId();
  await adapterFor(ctx, target.provider).delete({
    kind: target.kind,
    owner: target.owner,
    id: target.id,
    signal: ctx.signal,
    recordIntent: () => ctx.session.update((s) => recordIntent(s, deleteIntent(target, intentId, target.id, new Date(ctx.now()).toISOString()))),
  });
  logger().debug('key deleted', { name: target.name, kind: target.kind, owner: target.owner, id: target.id });
  await ctx.session.update((s) => commit(clearIntent(s, intentId)));
}
