import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AttributeValue, DesiredKey } from '../model/desired.js';
import type { LiveKey, LiveSnapshot } from '../model/live.js';
import type { Intent, KeyplanState, ManagedKey } from '../model/state.js';
import type { Plan } from '../model/plan.js';
import { PLAN_CODES } from './diagnostics.js';
import { parseSavedPlan, serializeSavedPlan, type SavedPlan } from './planfile.js';
import { plan, type PlanOptions } from './planner.js';
import { DAY, TEST_KINDS } from '../../test/helpers/plan-fixtures.js';

const NOW_RANGE = { min: Date.parse('2001-01-01T00:00:00Z'), max: Date.parse('2090-01-01T00:00:00Z') };
const OWNERS = ['u1', 'u2', 'u3'];
const iso = (ms: number): string => new Date(ms).toISOString();

/** One declared key with the live key and state record that match it exactly. */
const matchingKey = fc.record({
  kind: fc.constantFrom('oci.api_key', 'test.token'),
  owner: fc.constantFrom(...OWNERS),
  bits: fc.constantFrom(2048, 4096),
  maxAgeMs: fc.option(fc.integer({ min: DAY, max: 400 * DAY }), { nil: undefined }),
  beforeExpiryMs: fc.option(fc.integer({ min: 1, max: 30 * DAY }), { nil: undefined }),
  overlapMs: fc.integer({ min: 0, max: 30 * DAY }),
  requireOverlap: fc.boolean(),
  ageFraction: fc.double({ min: 0, max: 0.99, noNaN: true }),
  expiresIn: fc.option(fc.integer({ min: 1, max: 400 * DAY }), { nil: undefined }),
  pendingRetire: fc.boolean(),
});

const matchingWorld = fc
  .tuple(
    fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { maxLength: 8 }),
    fc.array(matchingKey, { minLength: 8, maxLength: 8 }),
    fc.integer(NOW_RANGE),
    fc.array(fc.constantFrom(...OWNERS), { maxLength: 3 }),
  )
  .map(([names, specs, now, unmanagedOwners]) => {
    const desired: DesiredKey[] = [];
    const live: LiveKey[] = [];
    const records: ManagedKey[] = [];
    names.forEach((name, i) => {
      const s = specs[i] as (typeof specs)[number];
      const provider = s.kind === 'oci.api_key' ? 'oci' : 'test';
      const attributes: Record<string, AttributeValue> = s.kind === 'oci.api_key' ? { user: s.owner, bits: s.bits } : { scope: `s${s.bits}`, state: 'ACTIVE' };
      desired.push({
        name,
        kind: s.kind,
        provider,
        owner: s.owner,
        attributes,
        passphrase: { none: true },
        outputs: [],
        dependsOn: names.slice(0, i).slice(-1),
        rotation: { maxAgeMs: s.maxAgeMs, beforeExpiryMs: s.beforeExpiryMs, overlapMs: s.overlapMs, requireOverlap: s.requireOverlap },
      });
      const id = `id-${i}`;
      const age = Math.floor((s.maxAgeMs ?? 30 * DAY) * s.ageFraction);
      const expiresAt = s.expiresIn === undefined ? undefined : iso(now + (s.beforeExpiryMs ?? 0) + s.expiresIn);
      live.push({
        provider,
        kind: s.kind,
        owner: s.owner,
        id,
        status: 'active',
        attributes: { ...attributes, fingerprint: id },
        ...(expiresAt ? { expiresAt } : {}),
      });
      const retiringList = s.pendingRetire ? [{ id: `old-${i}`, createdAt: iso(now - 400 * DAY), attributes, retireAfter: iso(now + DAY) }] : [];
      if (s.pendingRetire) live.push({ provider, kind: s.kind, owner: s.owner, id: `old-${i}`, status: 'active', attributes: {} });
      records.push({ name, kind: s.kind, provider, owner: s.owner, current: { id, createdAt: iso(now - age), attributes }, retiring: retiringList });
    });
    unmanagedOwners.forEach((owner, j) => live.push({ provider: 'oci', kind: 'oci.api_key', owner, id: `foreign-${j}`, status: 'active', attributes: {} }));
    const scopes = [...new Set(live.map((k) => `${k.provider}|${k.kind}|${k.owner}`))].map((s) => {
      const [provider, kind, owner] = s.split('|') as [string, string, string];
      return { provider, kind, owner };
    });
    const state: KeyplanState = { version: 1, lineage: 'l', serial: 1, keys: Object.fromEntries(records.map((r) => [r.name, r])), intents: [] };
    return { desired, live: { scopes, keys: live } satisfies LiveSnapshot, state, now };
  });

const NAMES = ['a', 'b', 'c', 'd'];
const IDS = ['k1', 'k2', 'k3', 'k4', 'k5'];
const KINDS_ANY = ['oci.api_key', 'test.token', 'mystery.kind'];
const timestamp = fc.oneof(fc.integer(NOW_RANGE).map(iso), fc.constantFrom('', 'not a date', '2025-13-45'));
const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(fc.string({ maxLength: 3 }), fc.double(), fc.boolean(), fc.constant(null));
const attrs = fc.dictionary(fc.constantFrom('user', 'bits', 'scope', 'state', 'fingerprint'), scalar);
const scope = { provider: fc.constantFrom('oci', 'test'), kind: fc.constantFrom(...KINDS_ANY), owner: fc.constantFrom(...OWNERS) };
const instance = fc.record({ id: fc.constantFrom(...IDS), createdAt: timestamp, attributes: attrs });

/** Arbitrary, well-typed but inconsistent input: collisions, garbage timestamps, unknown kinds. */
const anyInput = fc.record({
  desired: fc.array(
    fc.record({
      name: fc.constantFrom(...NAMES),
      ...scope,
      attributes: attrs,
      passphrase: fc.constant({ none: true as const }),
      outputs: fc.constant([]),
      dependsOn: fc.array(fc.constantFrom(...NAMES, 'zz'), { maxLength: 3 }),
      rotation: fc.record({
        maxAgeMs: fc.option(fc.integer({ min: 0, max: 400 * DAY }), { nil: undefined }),
        beforeExpiryMs: fc.option(fc.integer({ min: 0, max: 30 * DAY }), { nil: undefined }),
        overlapMs: fc.integer({ min: 0, max: 30 * DAY }),
        requireOverlap: fc.boolean(),
      }),
    }),
    { maxLength: 6 },
  ),
  live: fc.record({
    scopes: fc.array(fc.record(scope), { maxLength: 6 }),
    keys: fc.array(
      fc.record({
        ...scope,
        id: fc.constantFrom(...IDS),
        status: fc.constantFrom('creating', 'active', 'inactive', 'deleting', 'failed'),
        attributes: attrs,
        expiresAt: fc.option(timestamp, { nil: undefined }),
      }),
      { maxLength: 10 },
    ),
  }),
  records: fc.array(
    fc.record({
      name: fc.constantFrom(...NAMES, 'gone'),
      ...scope,
      current: instance,
      retiring: fc.array(fc.record({ id: fc.constantFrom(...IDS), createdAt: timestamp, attributes: attrs, retireAfter: timestamp }), { maxLength: 2 }),
    }),
    { maxLength: 5 },
  ),
  intents: fc.array(
    fc.record({
      id: fc.string({ maxLength: 4 }),
      operation: fc.constantFrom('create', 'delete'),
      name: fc.constantFrom(...NAMES, 'gone', 'lost'),
      ...scope,
      liveId: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
      startedAt: timestamp,
    }),
    { maxLength: 4 },
  ),
  now: fc.integer(NOW_RANGE),
  rotate: fc.option(fc.array(fc.constantFrom(...NAMES, 'nope'), { maxLength: 3 }), { nil: undefined }),
  targets: fc.option(fc.array(fc.constantFrom(...NAMES, 'gone', 'nope'), { maxLength: 3 }), { nil: undefined }),
});

type AnyInput = typeof anyInput extends fc.Arbitrary<infer T> ? T : never;

function run(input: AnyInput) {
  const state: KeyplanState = {
    version: 1,
    lineage: 'l',
    serial: 1,
    keys: Object.fromEntries(input.records.map((r) => [r.name, r])),
    intents: input.intents as Intent[],
  };
  const opts: PlanOptions = { now: input.now, kinds: TEST_KINDS, rotate: input.rotate, targets: input.targets };
  return plan(input.desired, input.live as LiveSnapshot, state, opts);
}

describe('plan: properties', () => {
  it('plans no changes when live keys and state match the declaration', () => {
    fc.assert(
      fc.property(matchingWorld, (w) => {
        const p = plan(w.desired, w.live, w.state, { now: w.now, kinds: TEST_KINDS });
        expect(p.changes).toEqual([]);
        expect(p.diagnostics).toEqual([]);
        expect(p.errored).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and never hits its internal-error fallback on arbitrary input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const p = run(input);
        expect(p.diagnostics.filter((d) => d.code === 'KP_PLAN_E0000')).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic: the same input twice gives deep-equal plans', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        expect(run(input)).toEqual(run(structuredClone(input)));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts changes by address and keeps the plan self-consistent', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const p = run(input);
        const addresses = p.changes.map((c) => c.address);
        expect(addresses).toEqual([...addresses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        const names = new Set(p.changes.map((c) => c.name));
        for (const c of p.changes) {
          expect(c.dependsOn).toEqual([...c.dependsOn].sort());
          for (const dep of c.dependsOn) expect(names.has(dep) && dep !== c.name).toBe(true);
        }
        for (const k of p.unmanaged) {
          const touching = p.changes.filter((c) =>
            c.deletes.some((d) => d.provider === k.provider && d.kind === k.kind && d.owner === k.owner && d.id === k.id),
          );
          expect(touching).toEqual([]);
        }
        expect(p.summary.delete).toBe(p.changes.filter((c) => c.action === 'delete' || c.action === 'retire').length);
        expect(p.errored).toBe(p.diagnostics.some((d) => d.severity === 'error'));
      }),
      { numRuns: 500 },
    );
  });

  it('survives input that breaks its types: a well-formed plan that a plan file holds, never a throw', () => {
    const garbage = fc.oneof(fc.anything(), fc.constantFrom(null, undefined, Number.NaN, '', '__proto__', {}, []));
    // Input that is wrong from the top, and well-typed input with a few values swapped for
    // garbage, so that the breakage also reaches the passes deep inside the planner.
    const broken = fc.oneof(
      fc.tuple(garbage, garbage, garbage, fc.oneof(fc.integer(NOW_RANGE), garbage)).map(([desired, live, state, now]) => ({ desired, live, state, now })),
      fc
        .tuple(anyInput, fc.array(fc.tuple(fc.nat(), garbage), { minLength: 1, maxLength: 4 }))
        .map(([input, holes]) => holes.reduce<unknown>((value, [at, junk]) => replaceNode(value, at, junk), structuredClone(input)) as AnyInput)
        .map((input) => ({ desired: input.desired, live: input.live, state: stateOf(input), now: input.now })),
    );
    fc.assert(
      fc.property(broken, (input) => {
        const p = plan(input.desired as never, input.live as never, input.state as never, { now: input.now as never, kinds: TEST_KINDS });
        expectWellFormed(p);
      }),
      { numRuns: 1000 },
    );
  });
});

/** The state an AnyInput describes; its records and intents may be broken. */
function stateOf(input: AnyInput): unknown {
  const records = Array.isArray(input.records) ? input.records : [];
  return { version: 1, lineage: 'l', serial: 1, keys: Object.fromEntries(records.map((r, i) => [r?.name ?? `r${i}`, r])), intents: input.intents };
}

/** A copy of `value` with its `at`-th node (depth first, modulo the node count) replaced by `junk`. */
function replaceNode(value: unknown, at: number, junk: unknown): unknown {
  const nodes: Array<{ parent: Record<string, unknown>; key: string }> = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    for (const key of Object.keys(v)) {
      nodes.push({ parent: v as Record<string, unknown>, key });
      walk((v as Record<string, unknown>)[key]);
    }
  };
  walk(value);
  const node = nodes[at % Math.max(1, nodes.length)];
  if (node === undefined) return junk;
  node.parent[node.key] = junk;
  return value;
}

/**
 * What apply and show rely on, whatever the input was: a plan that `plan --out` can write
 * and `apply FILE` read back, counts and `errored` that agree with its changes and
 * diagnostics, stable planner codes, and no changes at all once the planner gave up (an
 * unfinished plan must not be applied).
 */
function expectWellFormed(p: Plan): void {
  const saved: SavedPlan = {
    format: 'keyplan-plan',
    formatVersion: 1,
    keyplanVersion: '0.0.0-test',
    config: { file: 'keys.yaml', sha256: 'a'.repeat(64) },
    state: { lineage: 'l', serial: 1 },
    live: { sha256: `sha256:${'b'.repeat(64)}`, scopes: [], keys: [] },
    options: { targets: [], rotate: [] },
    changesPresent: p.changes.length > 0,
    plan: p,
  };
  // Throws a KeyplanError listing every problem when the file would not read back.
  parseSavedPlan(serializeSavedPlan(saved), 'plan.kp');
  const count = (...actions: string[]): number => p.changes.filter((c) => actions.includes(c.action)).length;
  const { import: recoverable, ...counts } = p.summary;
  expect(counts).toEqual({ create: count('create'), rotate: count('rotate'), update: count('update'), delete: count('delete', 'retire') });
  // Only unmanaged keys carrying a marker can be waiting for `keyplan import`.
  expect(recoverable).toBeLessThanOrEqual(p.unmanaged.filter((k) => k.marker !== undefined).length);
  expect(saved.changesPresent).toBe(p.changes.length > 0);
  expect(p.errored).toBe(p.diagnostics.some((d) => d.severity === 'error'));
  for (const d of p.diagnostics) expect(d.code).toMatch(/^KP_PLAN_[EW][0-9]{4}$/);
  if (p.diagnostics.some((d) => d.code === PLAN_CODES.internal)) {
    expect(p.changes).toEqual([]);
    expect(p.errored).toBe(true);
  }
}
