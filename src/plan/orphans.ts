/**
 * Deletions that no declaration asks for: keys keyplan manages that left keys.yaml, and
 * keys a run created but died before recording (found through state's create intents).
 */
import type { Intent, ManagedKey } from '../model/state.js';
import type { LiveKey } from '../model/live.js';
import { compareText, findLive, liveIdentity, specOf, type PlanContext } from './context.js';
import { addDeleting, addressOf, beforeAttributes, type Draft } from './draft.js';

/** The delete of a record whose name is no longer declared, or undefined when none of its keys is live. */
export function planRemoved(ctx: PlanContext, name: string, record: ManagedKey): Draft | undefined {
  const scope = { provider: record.provider, kind: record.kind, owner: record.owner };
  const spec = specOf(ctx, record.kind);
  const current = findLive(ctx, scope, record.current.id);
  const retiring: LiveKey[] = [];
  for (const instance of record.retiring ?? []) {
    const live = findLive(ctx, scope, instance.id);
    if (live !== undefined) retiring.push(live);
  }
  const first = current ?? retiring[0];
  if (first === undefined) return undefined;
  const recorded =
    current !== undefined
      ? record.current.attributes
      : (record.retiring ?? []).find((r) => r.id === first.id)?.attributes;
  const draft: Draft = {
    ...blankDelete(name, record.kind, record.provider, record.owner),
    reason: 'removed_from_config',
    before: beforeAttributes(recorded, first, spec.computed),
  };
  if (current !== undefined) draft.deleting.push(current);
  for (const key of retiring) {
    draft.deleting.push(key);
    draft.notes.push(`old key ${key.id}, still in its rotation overlap, is deleted too`);
  }
  return draft;
}

/**
 * Adds the keys of interrupted creates to the plan. A live key a create intent names that
 * no state record claims was made by a run that died before recording it; its secret may
 * never have reached the outputs, so it is deleted rather than adopted. When the name
 * already has a change in the same scope, the id joins that change's deletes (one change
 * per address); `drafts` is keyed by address.
 */
export function planInterrupted(
  ctx: PlanContext,
  intents: readonly Intent[],
  drafts: Map<string, Draft>,
  inScope: (name: string) => boolean,
): void {
  const seen = new Set<string>();
  const sorted = [...intents].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.liveId ?? '', b.liveId ?? '') || compareText(a.id, b.id),
  );
  for (const intent of sorted) {
    if (intent.operation !== 'create' || !inScope(intent.name)) continue;
    for (const live of intentKeys(ctx, intent)) {
      const identity = liveIdentity(live.provider, live.kind, live.id);
      if (seen.has(identity)) continue;
      seen.add(identity);
      addInterrupted(ctx, intent, live, drafts);
    }
  }
}

/**
 * The unclaimed live keys an interrupted create may have made: the one with its journalled
 * id, or (for kinds whose id is only known afterwards) those in its scope carrying its
 * match value, such as a BDS key with the journalled alias.
 */
function intentKeys(ctx: PlanContext, intent: Intent): LiveKey[] {
  const unclaimed = (k: LiveKey | undefined): k is LiveKey =>
    k !== undefined && !ctx.claimedBy.has(liveIdentity(k.provider, k.kind, k.id));
  if (typeof intent.liveId === 'string') return [findLive(ctx, intent, intent.liveId)].filter(unclaimed);
  const match = intent.match;
  if (match === undefined || typeof match.attribute !== 'string') return [];
  return [...ctx.liveById.values()]
    .filter((k) => k.provider === intent.provider && k.kind === intent.kind && k.owner === intent.owner)
    .filter((k) => k.attributes?.[match.attribute] === match.value)
    .filter(unclaimed)
    .sort((a, b) => compareText(a.id, b.id));
}

function addInterrupted(ctx: PlanContext, intent: Intent, live: LiveKey, drafts: Map<string, Draft>): void {
  const address = addressOf(intent.kind, intent.name);
  const note = `key ${live.id} was created by an interrupted apply and never recorded; it is deleted`;
  const existing = drafts.get(address);
  if (existing !== undefined) {
    // Each delete carries its own scope, so the key joins the change even when the
    // change itself now lives under another owner.
    addDeleting(existing, live);
    existing.notes.push(note);
    return;
  }
  const draft: Draft = {
    ...blankDelete(intent.name, intent.kind, intent.provider, intent.owner),
    reason: 'interrupted_create',
    before: beforeAttributes(undefined, live, specOf(ctx, intent.kind).computed),
  };
  draft.deleting.push(live);
  draft.notes.push(note);
  drafts.set(address, draft);
}

/** Claims of create intents (`liveIdentity`s), which keep their keys out of the unmanaged list. */
export function intentClaims(ctx: PlanContext, intents: readonly Intent[]): Set<string> {
  const out = new Set<string>();
  for (const intent of intents) {
    if (intent.operation !== 'create') continue;
    if (typeof intent.liveId === 'string') out.add(liveIdentity(intent.provider, intent.kind, intent.liveId));
    else for (const k of intentKeys(ctx, intent)) out.add(liveIdentity(k.provider, k.kind, k.id));
  }
  return out;
}

function blankDelete(name: string, kind: string, provider: string, owner: string): Draft {
  return {
    address: addressOf(kind, name),
    name,
    kind,
    provider,
    owner,
    action: 'delete',
    reason: 'removed_from_config',
    before: null,
    after: null,
    computed: [],
    sensitive: [],
    deleting: [],
    declaredDeps: [],
    dependsOn: [],
    notes: [],
    policyOverlapMs: 0,
    requireOverlap: false,
  };
}
