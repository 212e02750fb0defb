/**
 * Planner rules for oci.bds_api_key: owner = cluster, identity cluster + alias, quota
 * counted against the `user` attribute together with the user's IAM keys, the IAM copy
 * of a BDS key counted and shown once, replacements delete-before-create, interrupted
 * creates found by alias, and aliases that are taken.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey, Scope } from '../model/live.js';
import type { Intent, ManagedKey } from '../model/state.js';
import { plan } from './planner.js';
import { DAY, USER_A, USER_B, daysAgo, desired, live, options, record, refs, state } from '../../test/helpers/plan-fixtures.js';

const C1 = 'ocid1.bigdataservice.oc1.iad.c1';
const C2 = 'ocid1.bigdataservice.oc1.iad.c2';
const KIND = 'oci.bds_api_key';

interface BdsFields {
  readonly cluster?: string;
  readonly alias?: string;
  readonly user?: string;
  readonly region?: string;
}

// A type alias, not an interface: it must be assignable to the Attributes record.
type BdsAttrs = {
  readonly cluster: string;
  readonly alias: string;
  readonly user: string;
  readonly default_region?: string;
};

function bdsAttrs(f: BdsFields, name: string): BdsAttrs {
  return { cluster: f.cluster ?? C1, alias: f.alias ?? name, user: f.user ?? USER_A, ...(f.region === undefined ? {} : { default_region: f.region }) };
}

function bdsDesired(name: string, f: BdsFields = {}, over: Partial<DesiredKey> = {}): DesiredKey {
  const attributes = bdsAttrs(f, name);
  return desired(name, { kind: KIND, owner: attributes.cluster, attributes, passphrase: { env: 'BDS_PASS' }, ...over });
}

/** A live BDS key `id` whose fingerprint is `fp-<id>`, and its copy in the user's ListApiKeys. */
function bdsLive(id: string, alias: string, f: BdsFields = {}, status: LiveKey['status'] = 'active'): LiveKey[] {
  const attributes = { ...bdsAttrs({ ...f, alias }, alias), fingerprint: `fp-${id}` };
  const key: LiveKey = { provider: 'oci', kind: KIND, owner: attributes.cluster, id, status, createdAt: daysAgo(1), attributes };
  return [key, live(`fp-${id}`, { owner: attributes.user })];
}

function bdsRecord(name: string, id: string, f: BdsFields = {}, createdDaysAgo = 1): ManagedKey {
  const attributes = { ...bdsAttrs(f, name), fingerprint: `fp-${id}` };
  return record(name, id, { kind: KIND, owner: attributes.cluster, current: { id, createdAt: daysAgo(createdDaysAgo), attributes } });
}

const SCOPES: readonly Scope[] = [
  ...[USER_A, USER_B].map((owner) => ({ provider: 'oci', kind: 'oci.api_key', owner })),
  ...[C1, C2].map((owner) => ({ provider: 'oci', kind: KIND, owner })),
];
const snap = (...keys: LiveKey[][]) => ({ scopes: SCOPES, keys: keys.flat() });

describe('plan: oci.bds_api_key', () => {
  it('creates a key in its cluster, fingerprint known after apply', () => {
    const p = plan([bdsDesired('etl')], snap(), state(), options());
    expect(p.changes).toEqual([
      expect.objectContaining({
        address: 'oci.bds_api_key.etl',
        action: 'create',
        reason: 'new',
        owner: C1,
        computed: ['fingerprint'],
        sensitive: [],
        after: { cluster: C1, alias: 'etl', user: USER_A },
      }),
    ]);
    expect(p.errored).toBe(false);
  });

  it('is unchanged when the key is live, and its IAM copy is neither counted twice nor shown unmanaged', () => {
    const p = plan(
      [bdsDesired('etl'), desired('a'), desired('b')],
      snap(bdsLive('k1', 'etl'), [live('a1'), live('b1')]),
      state([bdsRecord('etl', 'k1'), record('a', 'a1'), record('b', 'b1')]),
      options(),
    );
    expect(p.changes).toEqual([]);
    expect(p.unmanaged).toEqual([]);
    expect(p.errored).toBe(false);
  });

  it('shows an unclaimed BDS key as unmanaged under its cluster, never its IAM copy', () => {
    const p = plan([], snap(bdsLive('stray', 'old'), [live('12:34')]), state(), options());
    expect(p.unmanaged.map((k) => [k.kind, k.id])).toEqual([
      ['oci.api_key', '12:34'],
      [KIND, 'stray'],
    ]);
  });

  it.each([
    ['user', { user: USER_B }, 'config_changed'],
    ['default_region', { region: 'eu-frankfurt-1' }, 'config_changed'],
  ] as const)('replaces the key under the same alias when %s changes: -/+ delete first', (_attr, change, reason) => {
    const p = plan([bdsDesired('etl', change)], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1')]), options());
    expect(p.changes).toEqual([
      expect.objectContaining({ action: 'rotate', reason, order: 'delete_before_create', deletes: [{ provider: 'oci', kind: KIND, owner: C1, id: 'k1' }] }),
    ]);
    expect(p.changes[0]?.after).toMatchObject({ alias: 'etl', ...('user' in change ? { user: USER_B } : { default_region: 'eu-frankfurt-1' }) });
    expect(p.errored).toBe(false);
  });

  it('replaces on --rotate and on max_age, always delete-before-create', () => {
    const requested = plan([bdsDesired('etl')], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1')]), options({ rotate: ['etl'] }));
    expect(requested.changes[0]).toMatchObject({ action: 'rotate', reason: 'requested', order: 'delete_before_create', deletes: refs('k1') });
    const old = bdsDesired('etl', {}, { rotation: { maxAgeMs: 30 * DAY, overlapMs: 0, requireOverlap: false } });
    const aged = plan([old], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1', {}, 31)]), options());
    expect(aged.changes[0]).toMatchObject({ action: 'rotate', reason: 'max_age', order: 'delete_before_create', deletes: refs('k1') });
  });

  it('refuses rotation.require_overlap: a BDS replacement cannot overlap its alias', () => {
    const d = bdsDesired('etl', {}, { rotation: { overlapMs: 0, requireOverlap: true } });
    const p = plan([d], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1')]), options({ rotate: ['etl'] }));
    expect(p.errored).toBe(true);
    expect(p.diagnostics.map((x) => x.code)).toEqual(['KP_PLAN_E0003']);
  });

  it('moves the key when the cluster changes: the old one is deleted in its own cluster', () => {
    const p = plan([bdsDesired('etl', { cluster: C2 })], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1')]), options());
    expect(p.changes[0]).toMatchObject({
      action: 'rotate',
      reason: 'config_changed',
      order: 'delete_before_create',
      owner: C2,
      deletes: [{ provider: 'oci', kind: KIND, owner: C1, id: 'k1' }],
    });
    expect(p.changes[0]?.notes).toEqual([`the key moves from oci ${KIND} ${C1} to oci ${KIND} ${C2}`]);
  });

  it('deletes the old key when the alias changes', () => {
    const p = plan([bdsDesired('etl', { alias: 'etl2' })], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1')]), options());
    expect(p.changes[0]).toMatchObject({ action: 'rotate', reason: 'config_changed', deletes: refs('k1'), after: expect.objectContaining({ alias: 'etl2' }) });
  });
});

describe("plan: IAM and BDS keys share a user's 3 slots", () => {
  const keys = snap(bdsLive('k1', 'etl'), [live('a1'), live('b1')]);
  const records = [bdsRecord('etl', 'k1'), record('a', 'a1'), record('b', 'b1')];

  it('with 2 IAM + 1 BDS key, rotating an IAM key goes delete-before-create, with the reason', () => {
    const p = plan([bdsDesired('etl'), desired('a'), desired('b')], keys, state(records), options({ rotate: ['a'] }));
    expect(p.changes).toEqual([
      expect.objectContaining({ name: 'a', action: 'rotate', reason: 'requested', order: 'delete_before_create', deletes: refs('a1') }),
    ]);
    expect(p.changes[0]?.notes).toEqual([`user ${USER_A} has 3 of 3 key slots in use: the old key is deleted before the new one is created`]);
    expect(p.errored).toBe(false);
  });

  it('refuses a 4th key for the user, naming the user and the keys holding the slots', () => {
    const p = plan([bdsDesired('etl'), desired('a'), desired('b'), bdsDesired('more', { cluster: C2 })], keys, state(records), options());
    expect(p.errored).toBe(true);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({
        code: 'KP_PLAN_E0002',
        message: `user ${USER_A} would need 4 API keys; OCI allows 3 (held by: a, b, etl); planned new keys: more`,
      }),
    ]);
  });

  it('refuses 4 new keys for one user at plan time', () => {
    const p = plan([desired('a'), desired('b'), bdsDesired('x'), bdsDesired('y', { cluster: C2 })], snap(), state(), options());
    expect(p.errored).toBe(true);
    expect(p.diagnostics.map((d) => d.message)).toEqual([`user ${USER_A} would need 4 API keys; OCI allows 3; planned new keys: a, b, x, y`]);
  });

  it('counts a BDS key against its user, not its cluster', () => {
    const p = plan([desired('a'), desired('b'), bdsDesired('x', { user: USER_B })], snap(), state(), options());
    expect(p.errored).toBe(false);
  });

  it("orders a BDS create after the delete that frees its user's slot", () => {
    const p = plan([bdsDesired('etl'), desired('a'), bdsDesired('new', { cluster: C2 })], keys, state(records), options());
    expect(p.errored).toBe(false);
    expect(p.changes.map((c) => [c.name, c.action, c.dependsOn])).toEqual([
      ['b', 'delete', []],
      ['new', 'create', ['b']],
    ]);
  });

  it('moves a key to another user: it needs a slot there, and frees one here', () => {
    const full = snap(bdsLive('k1', 'etl'), [
      live('a1'),
      live('b1'),
      live('c1', { owner: USER_B }),
      live('d1', { owner: USER_B }),
      live('e1', { owner: USER_B }),
    ]);
    const p = plan([bdsDesired('etl', { user: USER_B }), desired('a'), desired('b')], full, state(records), options());
    expect(p.errored).toBe(true);
    expect(p.diagnostics[0]?.message).toBe(`user ${USER_B} would need 4 API keys; OCI allows 3 (held by: unmanaged c1, unmanaged d1, unmanaged e1)`);
  });
});

describe('plan: BDS aliases', () => {
  const intent = (name: string, alias: string, cluster = C1): Intent => ({
    id: `i-${name}`,
    operation: 'create',
    name,
    kind: KIND,
    provider: 'oci',
    owner: cluster,
    match: { attribute: 'alias', value: alias },
    startedAt: daysAgo(0),
  });

  it('finds an interrupted create by its journalled alias and deletes it before creating again', () => {
    const p = plan([bdsDesired('etl')], snap(bdsLive('half', 'etl')), state([], [intent('etl', 'etl')]), options());
    expect(p.changes).toEqual([expect.objectContaining({ action: 'create', reason: 'new', deletes: refs('half') })]);
    expect(p.changes[0]?.notes).toEqual(['key half was created by an interrupted apply and never recorded; it is deleted']);
    expect(p.unmanaged).toEqual([]);
    expect(p.errored).toBe(false);
  });

  it('deletes an interrupted create of a key no longer declared, and ignores aliases recorded in state', () => {
    const p = plan(
      [bdsDesired('keep')],
      snap(bdsLive('half', 'gone'), bdsLive('k1', 'keep')),
      state([bdsRecord('keep', 'k1')], [intent('gone', 'gone'), intent('keep', 'keep')]),
      options(),
    );
    expect(p.changes).toEqual([expect.objectContaining({ name: 'gone', action: 'delete', reason: 'interrupted_create', deletes: refs('half') })]);
  });

  it('neither deletes again nor lists as unmanaged a key the provider is already deleting that an alias intent claims', () => {
    // Before, an alias intent lost its claim on a deleting key while an id intent kept it,
    // so the key showed up among the unmanaged keys.
    const p = plan([], snap(bdsLive('half', 'gone', {}, 'deleting')), state([], [intent('gone', 'gone')]), options());
    expect(p.changes).toEqual([]);
    expect(p.unmanaged).toEqual([]);
  });

  it('refuses a create whose alias an unmanaged key holds', () => {
    const p = plan([bdsDesired('etl')], snap(bdsLive('stray', 'etl')), state(), options());
    expect(p.errored).toBe(true);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({
        code: 'KP_PLAN_E0005',
        path: 'keys[0].alias',
        message: `etl: alias "etl" is already used in ${C1} by key stray, which keyplan does not manage (delete that key, or choose another value); each alias must be unique there`,
      }),
    ]);
  });

  it('waits for the change that frees the alias', () => {
    const p = plan([bdsDesired('next', { alias: 'etl' })], snap(bdsLive('k1', 'etl')), state([bdsRecord('etl', 'k1')]), options());
    expect(p.errored).toBe(false);
    expect(p.changes.map((c) => [c.name, c.action, c.dependsOn])).toEqual([
      ['etl', 'delete', []],
      ['next', 'create', ['etl']],
    ]);
  });

  it('refuses two keys swapping aliases: neither can go first', () => {
    const p = plan(
      [bdsDesired('a', { alias: 'y' }), bdsDesired('b', { alias: 'x' })],
      snap(bdsLive('ka', 'x'), bdsLive('kb', 'y')),
      state([bdsRecord('a', 'ka', { alias: 'x' }), bdsRecord('b', 'kb', { alias: 'y' })]),
      options(),
    );
    expect(p.errored).toBe(true);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['KP_PLAN_E0006']);
    expect(p.diagnostics[0]?.message).toContain('a -> b -> a');
  });
});
