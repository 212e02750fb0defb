/**
 * Deletions that no declaration asks for: keys keyplan manages that left keys.yaml, and
 * keys a run created but died before recording (the keys create intents claim).
 */
import type { Intent, ManagedKey } from '../model/state.js';
import type { LiveKey } from '../model/live.js';
import { claimedKeys } from '../state/journal.js';
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
  const recorded = current !== undefined ? record.current.attributes : (record.retiring ?? []).find((r) => r.id === first.id)?.attributes;
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
 * Adds the keys of interrupted creates to the plan: each live key a create intent claims
 * (state/journal.ts) was made by a run that died before recording it; its secret may never
 * have reached the outputs, so it is deleted rather than adopted, unless the provider is
 * already deleting it. When the name already has a change, the id joins that change's
 * deletes (one change per address); `drafts` is keyed by address.
 */
export function planInterrupted(ctx: PlanContext, intents: readonly Intent[], drafts: Map<string, Draft>, inScope: (name: string) => boolean): void {
  const seen = new Set<string>();
  const sorted = [...intents].sort((a, b) => compareText(a.name, b.name) || compareText(a.liveId ?? '', b.liveId ?? '') || compareText(a.id, b.id));
  for (const intent of sorted) {
    if (!inScope(intent.name)) continue;
    for (const live of claimedKeys(ctx.journal, intent)) {
      const identity = liveIdentity(live.provider, live.kind, live.id);
      if (live.status === 'deleting' || seen.has(identity)) continue;
      seen.add(identity);
      addInterrupted(ctx, intent, live, drafts);
    }
  }
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

/** The `liveIdentity`s of every key a create intent claims, which keeps them out of the unmanaged list. */
export function intentClaims(ctx: PlanContext, intents: readonly Intent[]): Set<string> {
  return new Set(intents.flatMap((i) => claimedKeys(ctx.journal, i)).map((k) => liveIdentity(k.provider, k.kind, k.id)));
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
    deactivating: [],
    declaredDeps: [],
    dependsOn: [],
    notes: [],
    policyOverlapMs: 0,
    requireOverlap: false,
  };
}
