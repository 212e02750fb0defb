/**
 * The journal: the intents in state (`KeyplanState.intents`) and every rule about them.
 * A provider call and the state write that records its effect cannot be one atomic step;
 * an intent, made durable just before the call, is the trace a run that dies in between
 * leaves, so the next run can find what the call made. Apply writes and removes intents;
 * refresh, the planner and tidy read them only through the functions below.
 *
 * 1. When an intent is written. When an adapter awaits `recordIntent`, right before its
 *    mutating call, and never earlier, so a step that fails before it leaves no trace (a
 *    call the provider then refuses leaves an intent that claims nothing). Each call gets a
 *    fresh id, which is also the create's idempotency token (an adapter may tag the key
 *    with it); recording the same id again replaces the entry.
 *    - A create intent names the key about to be made: by `liveId` when the adapter knows
 *      the id beforehand (a fingerprint computed locally, an id derived from owner and
 *      name), otherwise by `match`, a provider-side attribute value unique within the
 *      owner that finds the key afterwards (an alias, or a tag carrying the token).
 *      `liveId` wins when both are given. An intent with neither can never claim a key.
 *    - A delete intent names the live id about to be deleted.
 * 2. When it is removed.
 *    - A create intent goes in the same write that records the new key, so no state ever
 *      lacks both ({@link settleCreate}); older create intents of the same scope with the
 *      same match value go with it, since the value is unique there and now names the new
 *      key (this create could not have succeeded while another key held it).
 *    - When the new key's secret could not be delivered, the create intent goes only once
 *      that key was deleted again (that delete needs no intent of its own).
 *    - When a plan step deletes a key an intent claims, the intent naming it by id goes in
 *      the write recording the delete ({@link forgetClaimsOn}); one naming it by match
 *      goes at the next tidy.
 *    - A create that throws keeps its intent: the call may have made a key whose answer
 *      was lost.
 *    - A delete intent goes in the same write that records the delete.
 *    - Before an apply, tidy drops every intent {@link keepsIntent} does not keep.
 * 3. Which live key an intent claims ({@link claimedKeys}, the one rule for tidy, the
 *    planner's orphans and unmanaged list, `--target` and refresh). A create intent claims
 *    each key listed in its own scope (provider, kind, owner), in any status, that no state
 *    record claims as its current or retiring key, and whose id is the intent's `liveId`
 *    or, without one, that carries its `match` value. A delete intent claims nothing.
 * 4. What an intent means on the next run.
 *    - Refresh reads the scope of every intent ({@link journalScopes}): a create intent's to
 *      find its claims, a delete intent's so that a key which survived is at least listed.
 *    - A claimed key was made by a run that died before recording it, and its secret may
 *      never have reached an output: the plan deletes it (reason `interrupted_create`)
 *      unless it is already being deleted, never adopts it, and does not list it as
 *      unmanaged. `--target NAME` accepts a name whose intents claim a key.
 *    - A delete intent means nothing by itself: the record still names the key, so the plan
 *      deletes it again if it is live, and re-creates or forgets it if it is gone.
 *    - Tidy keeps a create intent while its scope was not read (there is no proof either
 *      way) or while it claims a key, and drops every other intent.
 * The intents' shape in the state document is unchanged (format version 1).
 */
import type { LiveKey, LiveSnapshot, Scope } from '../model/live.js';
import { scopeKey } from '../model/live.js';
import type { Intent, IntentMatch, KeyplanState } from '../model/state.js';

/** The key an intent is about: its declared name and its scope. */
export type IntentSubject = Pick<Intent, 'name' | 'kind' | 'provider' | 'owner'>;

/** A create intent for `subject`, naming the key by `liveId` or else by `match` (rule 1). */
export function createIntent(subject: IntentSubject, id: string, startedAt: string, liveId?: string, match?: IntentMatch): Intent {
  const { name, kind, provider, owner } = subject;
  return { id, operation: 'create', name, kind, provider, owner, ...(liveId ? { liveId } : {}), ...(match ? { match } : {}), startedAt };
}

/** A delete intent for live key `liveId` of `subject` (rule 1). */
export function deleteIntent(subject: IntentSubject, id: string, liveId: string, startedAt: string): Intent {
  const { name, kind, provider, owner } = subject;
  return { id, operation: 'delete', name, kind, provider, owner, liveId, startedAt };
}

/** Journals a call about to be made; an intent with the same id is replaced. */
export function recordIntent(state: KeyplanState, intent: Intent): KeyplanState {
  return { ...state, intents: [...state.intents.filter((i) => i.id !== intent.id), intent] };
}

/** Removes a journal entry once its call's result is recorded. Unknown ids are ignored. */
export function clearIntent(state: KeyplanState, intentId: string): KeyplanState {
  if (!state.intents.some((i) => i.id === intentId)) return state;
  return { ...state, intents: state.intents.filter((i) => i.id !== intentId) };
}

/**
 * Removes create intent `intentId` for the write that records its key, together with the
 * older create intents it supersedes: same scope, no `liveId`, same match value (rule 2).
 */
export function settleCreate(state: KeyplanState, intentId: string): KeyplanState {
  const settled = state.intents.find((i) => i.id === intentId);
  const m = settled?.match;
  if (settled === undefined) return state;
  const goes = (i: Intent): boolean =>
    i.id === intentId ||
    (m !== undefined &&
      i.operation === 'create' &&
      i.liveId === undefined &&
      scopeKey(i) === scopeKey(settled) &&
      i.match?.attribute === m.attribute &&
      i.match.value === m.value);
  return { ...state, intents: state.intents.filter((i) => !goes(i)) };
}

/** Removes the create intents that name live key `key` by id, once a plan step deleted it (rule 2). */
export function forgetClaimsOn(state: KeyplanState, key: Scope & { readonly id: string }): KeyplanState {
  const names = (i: Intent): boolean => i.operation === 'create' && i.liveId === key.id && scopeKey(i) === scopeKey(key);
  return state.intents.some(names) ? { ...state, intents: state.intents.filter((i) => !names(i)) } : state;
}

/** The scopes refresh reads for the journal: every intent's own scope (rule 4), deduplicated. */
export function journalScopes(state: KeyplanState): Scope[] {
  const byKey = new Map<string, Scope>();
  for (const i of state.intents) byKey.set(scopeKey(i), { provider: i.provider, kind: i.kind, owner: i.owner });
  return [...byKey.values()];
}

/** What the claim rule reads: the scopes refresh read, the keys listed there, and which keys state records. */
export interface JournalView {
  /** `scopeKey`s of the scopes that were read; a key absent from one is gone. */
  readonly readScopes: ReadonlySet<string>;
  /** Listed keys by `scopeKey`, in snapshot order. */
  readonly keysByScope: ReadonlyMap<string, readonly LiveKey[]>;
  /** `provider|kind|id` of every current and retiring key of a state record. */
  readonly recorded: ReadonlySet<string>;
}

/**
 * Indexes a live snapshot and a state for {@link claimedKeys}. Tolerates malformed input
 * (the planner promises never to throw): anything odd is skipped. The two indexes over
 * every key are built on first use: only an interrupted apply's intents read them, and a
 * plan of thousands of keys with no intent should not pay for them.
 */
export function journalView(live: LiveSnapshot, state: KeyplanState): JournalView {
  const readScopes = new Set((Array.isArray(live?.scopes) ? live.scopes : []).map(scopeKey));
  let keysByScope: Map<string, LiveKey[]> | undefined;
  let recorded: Set<string> | undefined;
  return {
    readScopes,
    get keysByScope() {
      if (keysByScope !== undefined) return keysByScope;
      keysByScope = new Map();
      for (const key of Array.isArray(live?.keys) ? live.keys : []) {
        const scope = scopeKey(key);
        const list = keysByScope.get(scope);
        if (list === undefined) keysByScope.set(scope, [key]);
        else list.push(key);
      }
      return keysByScope;
    },
    get recorded() {
      if (recorded !== undefined) return recorded;
      recorded = new Set();
      for (const record of Object.values(state?.keys ?? {})) {
        for (const instance of [record.current, ...(record.retiring ?? [])]) recorded.add(identity(record.provider, record.kind, instance.id));
      }
      return recorded;
    },
  };
}

/** The live keys `intent` claims (rule 3), sorted by id; none for a delete intent. */
export function claimedKeys(view: JournalView, intent: Intent): LiveKey[] {
  const names = keyTest(intent);
  if (names === undefined) return [];
  return (view.keysByScope.get(scopeKey(intent)) ?? [])
    .filter((k) => names(k) && !view.recorded.has(identity(k.provider, k.kind, k.id)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Whether tidy keeps `intent`: a create intent while its scope was not read or it claims a key (rule 4). */
export function keepsIntent(view: JournalView, intent: Intent): boolean {
  if (keyTest(intent) === undefined) return false;
  return !view.readScopes.has(scopeKey(intent)) || claimedKeys(view, intent).length > 0;
}

/** Names of the intents that claim at least one key: the names only an interrupted apply left behind. */
export function claimantNames(view: JournalView, intents: readonly Intent[]): Set<string> {
  return new Set(intents.filter((i) => claimedKeys(view, i).length > 0).map((i) => i.name));
}

/** How a create intent recognises its key (rule 1): by `liveId`, else by `match`; undefined when it cannot. */
function keyTest(intent: Intent): ((key: LiveKey) => boolean) | undefined {
  if (intent.operation !== 'create') return undefined;
  const { liveId, match } = intent;
  if (typeof liveId === 'string') return (k) => k.id === liveId;
  if (typeof match?.attribute === 'string') return (k) => k.attributes?.[match.attribute] === match.value;
  return undefined;
}

function identity(provider: string, kind: string, id: string): string {
  return `${provider}|${kind}|${id}`;
}
