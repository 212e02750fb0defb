/**
 * Refresh: reads the live keys of every scope the config or the state touches, through
 * the adapters, one `list` call per scope (e.g. one list call per user). Every call is
 * started at once: each block's adapter sits behind its own limiter (limiter.ts, its
 * max_concurrency and requests_per_second), so providers are read side by side and one
 * provider's calls never queue behind another's.
 * It is the only place plan-time network reads happen; the planner gets its result.
 */
import { sortDiagnostics, type Diagnostic } from '../errors/diagnostic.js';
import { ConfigError, OwnerNotFoundError } from '../errors/errors.js';
import type { Attributes, DesiredKey } from '../model/desired.js';
import { scopeKey, type LiveKey, type LiveSnapshot, type Scope } from '../model/live.js';
import { ScopeMap } from '../model/scope-map.js';
import type { KeyplanState } from '../model/state.js';
import type { KindSpec, ProviderAdapter } from '../providers/contract.js';
import { journalScopes } from '../state/journal.js';
import type { Reporter } from '../report/reporter.js';

export interface RefreshRequest {
  readonly desired: readonly DesiredKey[];
  readonly state: KeyplanState;
  /** Configured adapters by provider block name, each behind its block's limiter (limiter.ts). */
  readonly adapters: ReadonlyMap<string, ProviderAdapter>;
  /** Metadata of every kind (the registry's `kinds`). */
  readonly kinds: Readonly<Record<string, KindSpec>>;
  readonly reporter: Reporter;
  readonly signal?: AbortSignal;
  /** Report refresh's wall time as an info event (`KEYPLAN_TIMINGS=1`; the bench reads it). @default false */
  readonly timings?: boolean;
}

/**
 * The scopes to read: declared keys, state records and the scopes the journal needs
 * (state/journal.ts), deduplicated and sorted. A declared key whose kind is also listed as another kind (KindSpec.alsoListedAs:
 * keys also listed among their user's keys of another kind) adds that kind's scope of its quota owner, so the
 * planner sees every key that shares the owner's slots.
 */
export function scopesToRead(desired: readonly DesiredKey[], state: KeyplanState, kinds: Readonly<Record<string, KindSpec>>): Scope[] {
  const unique = new ScopeMap<Scope>();
  const add = (s: Scope): void => {
    if (unique.get(s) === undefined) unique.set(s, { provider: s.provider, kind: s.kind, owner: s.owner });
  };
  desired.forEach(add);
  for (const d of desired) {
    const spec = Object.prototype.hasOwnProperty.call(kinds, d.kind) ? kinds[d.kind] : undefined;
    const owner = spec?.quota?.ownerAttribute === undefined ? d.owner : d.attributes[spec.quota.ownerAttribute];
    if (spec?.alsoListedAs !== undefined && typeof owner === 'string') add({ provider: d.provider, kind: spec.alsoListedAs.kind, owner });
  }
  Object.values(state.keys).forEach(add);
  journalScopes(state).forEach(add);
  // Sorted by the `provider|kind|owner` text, built once per scope.
  const keyed = [...unique.values()].map((scope) => [scopeKey(scope), scope] as const);
  return keyed.sort((a, b) => compareText(a[0], b[0])).map((pair) => pair[1]);
}

/** Reads every scope; throws the first adapter error after all calls settle. */
export async function refresh(req: RefreshRequest): Promise<LiveSnapshot> {
  const scopes = scopesToRead(req.desired, req.state, req.kinds).filter((s) => req.adapters.has(s.provider));
  const started = process.uptime() * 1000;
  const cpuBefore = process.cpuUsage();
  const known = knownIdsByScope(req.state);
  const results = await Promise.allSettled(
    scopes.map(async (scope) => {
      const adapter = req.adapters.get(scope.provider) as ProviderAdapter;
      req.reporter.notify({ level: 'debug', code: 'refresh_start', message: `reading ${scope.kind} keys of ${scope.owner}`, data: { ...scope } });
      const recorded = known.get(scope) ?? {};
      const result = await adapter.list({
        kind: scope.kind,
        owner: scope.owner,
        known: Object.keys(recorded),
        knownAttributes: recorded,
        signal: req.signal,
      });
      return result.keys;
    }),
  );
  if (req.timings === true) reportTiming(req.reporter, scopes, process.uptime() * 1000 - started, process.cpuUsage(cpuBefore));
  const missing = ownersNotFound(results, req.desired);
  if (missing !== undefined) throw missing;
  const keys: LiveKey[] = [];
  for (const r of results) {
    if (r.status === 'rejected') throw r.reason;
    keys.push(...r.value);
  }
  // Sort keys computed once per key, not once per comparison, and held beside their key.
  const keyed = keys.map((k) => [`${scopeKey(k)}|${k.id}`, k] as const);
  keyed.sort((a, b) => compareText(a[0], b[0]));
  return { scopes, keys: keyed.map((pair) => pair[1]) };
}

/**
 * The owners the provider says do not exist, as one ConfigError pointing at the field of
 * every declared key that names one (`keys.yaml:12:14: keys[3].cluster: …`), instead of a
 * failure deep in apply. An owner only state still records stays a provider error.
 */
function ownersNotFound(results: readonly PromiseSettledResult<unknown>[], desired: readonly DesiredKey[]): ConfigError | undefined {
  const errors = results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof OwnerNotFoundError ? [r.reason] : []));
  const diagnostics: Diagnostic[] = [];
  for (const e of errors) {
    desired.forEach((key, index) => {
      // A key of another kind may name the same owner in that field (a key listed per cluster names the user whose slots it uses).
      const names = (key.kind === e.kind && key.owner === e.owner) || key.attributes[e.ownerField] === e.owner;
      if (key.provider !== e.provider || !names) return;
      const range = key.locateField?.(e.ownerField) ?? key.source;
      diagnostics.push({
        severity: 'error',
        code: e.code,
        message: e.message,
        path: `keys[${index}].${e.ownerField}`,
        ...(range === undefined ? {} : { range }),
      });
    });
  }
  if (diagnostics.length === 0) return undefined;
  const first = errors[0] as OwnerNotFoundError;
  const what = diagnostics.length === 1 ? 'a key names' : `${diagnostics.length} keys name`;
  return new ConfigError(`${what} a ${first.ownerField} the provider does not know`, sortDiagnostics(diagnostics), first.code, first);
}

/**
 * `refresh: N list calls in T ms, C ms CPU (a: n, b: m)` by provider block: the phase's own wall time,
 * from the first call to the last answer, and the process's CPU time meanwhile (near T: refresh is CPU-bound).
 */
function reportTiming(reporter: Reporter, scopes: readonly Scope[], ms: number, cpu: NodeJS.CpuUsage): void {
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const calls: Record<string, number> = {};
  for (const s of scopes) calls[s.provider] = (calls[s.provider] ?? 0) + 1;
  const each = Object.keys(calls)
    .sort()
    .map((p) => `${p}: ${calls[p]}`)
    .join(', ');
  reporter.notify({
    level: 'info',
    code: 'refresh_timing',
    message: `refresh: ${scopes.length} list calls in ${Math.round(ms)} ms, ${cpuMs} ms CPU (${each})`,
    data: { ms: Math.round(ms * 10) / 10, cpuMs, listCalls: scopes.length, callsByProvider: calls },
  });
}

/**
 * Per scope: the ids state records, with the attributes it recorded for each. The ids sit in
 * an object without prototype: V8 keeps it as a dictionary from the start, where a plain
 * object given a new id as its next property would grow a new hidden class for each one.
 */
function knownIdsByScope(state: KeyplanState): ScopeMap<Record<string, Attributes>> {
  const out = new ScopeMap<Record<string, Attributes>>();
  for (const rec of Object.values(state.keys)) {
    let ids = out.get(rec);
    if (ids === undefined) out.set(rec, (ids = Object.create(null) as Record<string, Attributes>));
    ids[rec.current.id] = rec.current.attributes;
    for (const instance of rec.retiring) ids[instance.id] = instance.attributes;
  }
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
