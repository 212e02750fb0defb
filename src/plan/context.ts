/**
 * Indexes the planner builds once from its inputs: live keys by identity, the scopes that
 * were read, which live ids state already claims, the journal's view, and the kind
 * metadata lookup.
 */
import type { KindSpec } from '../providers/contract.js';
import type { LiveKey, LiveSnapshot, Scope } from '../model/live.js';
import { scopeKey } from '../model/live.js';
import type { KeyplanState, ManagedKey } from '../model/state.js';
import { journalView, type JournalView } from '../state/journal.js';
import type { Diagnostic } from '../errors/diagnostic.js';

/** Used for a kind the planner has no metadata for (reported as an error elsewhere). */
const FALLBACK_SPEC: KindSpec = {
  kind: 'unknown',
  providerType: 'unknown',
  replaceOn: [],
  updatable: [],
  computed: [],
  sensitive: [],
  rotationOrder: 'create_before_delete',
};

/** `provider|kind|id`: a live key's identity (ids are unique within provider + kind). */
export function liveIdentity(provider: string, kind: string, id: string): string {
  return `${provider}|${kind}|${id}`;
}

/** Read-only lookups shared by the planner's passes, plus the diagnostics they collect. */
export interface PlanContext {
  readonly now: number;
  readonly kinds: Readonly<Record<string, KindSpec>>;
  /** Output types that can read a delivered secret back (OutputModule.readBack), to verify a pending key again. */
  readonly readableOutputs: ReadonlySet<string>;
  /** Live keys that exist (status other than `deleting`), by `liveIdentity`. */
  readonly liveById: ReadonlyMap<string, LiveKey>;
  /** Every live key of the snapshot, including ones being deleted. */
  readonly liveKeys: readonly LiveKey[];
  readonly readScopes: ReadonlySet<string>;
  /** State records by name (only those whose map key matches their own name field). */
  readonly records: ReadonlyMap<string, ManagedKey>;
  /** `liveIdentity` → name of the state record whose current or retiring key it is. */
  readonly claimedBy: ReadonlyMap<string, string>;
  /** The journal's view of `liveKeys` and state: which keys create intents claim (state/journal.ts). */
  readonly journal: JournalView;
  readonly diagnostics: Diagnostic[];
}

/** Builds the lookups. Tolerates malformed input: anything odd is skipped, never thrown on. */
export function buildContext(
  live: LiveSnapshot,
  state: KeyplanState,
  now: number,
  kinds: Readonly<Record<string, KindSpec>>,
  readableOutputs: ReadonlySet<string> = new Set(),
): PlanContext {
  const liveKeys = withoutSecondCopies(Array.isArray(live?.keys) ? live.keys : [], kinds);
  const liveById = new Map<string, LiveKey>();
  for (const key of liveKeys) {
    // A key the provider is already deleting neither holds a slot for long nor serves as
    // the managed key: treat it as gone.
    if (key.status === 'deleting') continue;
    const identity = liveIdentity(key.provider, key.kind, key.id);
    if (!liveById.has(identity)) liveById.set(identity, key);
  }
  const readScopes = new Set<string>((Array.isArray(live?.scopes) ? live.scopes : []).map(scopeKey));
  const records = new Map<string, ManagedKey>();
  const claimedBy = new Map<string, string>();
  const keys = state?.keys ?? {};
  const names = Object.keys(keys).sort(compareText);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const record = keys[name] as ManagedKey;
    records.set(name, record);
    const claim = (id: string): void => {
      const identity = liveIdentity(record.provider, record.kind, id);
      if (!claimedBy.has(identity)) claimedBy.set(identity, name);
    };
    claim(record.current.id);
    if (record.pending !== undefined) claim(record.pending.id);
    for (const instance of record.retiring ?? []) claim(instance.id);
  }
  // Second copies are left out here too, so no intent ever claims one.
  const journal = journalView({ scopes: Array.isArray(live?.scopes) ? live.scopes : [], keys: liveKeys }, state);
  return { now, kinds, readableOutputs, liveById, liveKeys, readScopes, records, claimedBy, journal, diagnostics: [] };
}

/**
 * Drops the second copy of keys listed under two kinds (KindSpec.alsoListedAs): a key of one kind
 * also appears in its user's ListApiKeys under its fingerprint. Counted twice it would
 * take two quota slots, and shown as an unmanaged key of the other kind it would invite a delete that
 * breaks the cluster; the kind that declares the link keeps its copy.
 */
function withoutSecondCopies(keys: readonly LiveKey[], kinds: Readonly<Record<string, KindSpec>>): readonly LiveKey[] {
  const copies = new Set<string>();
  for (const key of keys) {
    const also = Object.prototype.hasOwnProperty.call(kinds, key.kind) ? kinds[key.kind]?.alsoListedAs : undefined;
    const id = also === undefined ? undefined : key.attributes?.[also.idAttribute];
    if (also !== undefined && typeof id === 'string' && id !== '') copies.add(liveIdentity(key.provider, also.kind, id));
  }
  return copies.size === 0 ? keys : keys.filter((k) => !copies.has(liveIdentity(k.provider, k.kind, k.id)));
}

/** The kind's metadata, or a neutral stand-in when the kind is unknown. */
export function specOf(ctx: PlanContext, kind: string): KindSpec {
  return Object.prototype.hasOwnProperty.call(ctx.kinds, kind) ? (ctx.kinds[kind] as KindSpec) : FALLBACK_SPEC;
}

/** Whether the planner has metadata for this kind. */
export function isKnownKind(ctx: PlanContext, kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(ctx.kinds, kind);
}

/** Whether refresh read this scope, so a key missing from it is known to be gone. */
export function scopeWasRead(ctx: PlanContext, scope: Scope): boolean {
  return ctx.readScopes.has(scopeKey(scope));
}

/** The live key with this id in this scope, when it exists and the scope was read. */
export function findLive(ctx: PlanContext, scope: Scope, id: string): LiveKey | undefined {
  const key = ctx.liveById.get(liveIdentity(scope.provider, scope.kind, id));
  return key !== undefined && key.owner === scope.owner ? key : undefined;
}

/** Epoch ms of an RFC 3339 timestamp, or undefined when it does not parse. */
export function parseTime(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Code-unit order, independent of the host's locale, so plans are identical everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
