/**
 * The plans behind test/golden/<case>/: built with the real planner from the plan
 * fixtures, except `multiline`, written out directly because no kind the fixtures declare
 * has multi-line attributes. Together they cover every action and every reason (checked
 * in golden.test.ts).
 */
import type { Plan, PlannedChange } from '../../src/model/plan.js';
import type { LiveKey } from '../../src/model/live.js';
import type { RetiringInstance } from '../../src/model/state.js';
import { plan } from '../../src/plan/planner.js';
import { DAY, USER_A, USER_B, createIntent, daysAgo, desired, live, options, record, retiring, snapshot, state } from '../helpers/plan-fixtures.js';

/** One golden case. */
export interface GoldenCase {
  readonly name: string;
  readonly plan: Plan;
}

const TEAM = 'team-a';
const USER_C = 'ocid1.user.oc1..c';
const USER_D = 'ocid1.user.oc1..d';
const tokenScope = { provider: 'test', kind: 'test.token', owner: TEAM };
const ociScopes = [USER_A, USER_B].map((owner) => ({ provider: 'oci', kind: 'oci.api_key', owner }));
const inDays = (days: number): string => new Date(Date.parse(daysAgo(0)) + days * DAY).toISOString();
const at = (line: number) => ({ source: { file: 'keys.yaml', line, column: 5 } });

/** A declared test.token (no quota, rotates delete-first, `state` updatable in place). */
const token = (name: string, attrs: Record<string, string>, line: number) =>
  desired(name, { kind: 'test.token', provider: 'test', owner: TEAM, attributes: { scope: 'read', state: 'ACTIVE', ...attrs }, ...at(line) });
const tokenRecord = (name: string, id: string, attrs: Record<string, string> = {}) =>
  record(name, id, {
    kind: 'test.token',
    provider: 'test',
    owner: TEAM,
    current: { id, createdAt: daysAgo(1), attributes: { scope: 'read', state: 'ACTIVE', ...attrs } },
  });
const tokenLive = (id: string, state: string) => live(id, { provider: 'test', kind: 'test.token', owner: TEAM, attributes: { token_id: id, state } });

/** An outscale.access_key of EIM user etl-bot: a kind that can deactivate keys. */
const akScope = { provider: 'osc', kind: 'outscale.access_key', owner: 'etl-bot' };
const akAttributes = { user_name: 'etl-bot', expires_in: null, state: 'ACTIVE' };
const accessKey = (name: string, line: number) =>
  desired(name, {
    ...akScope,
    attributes: akAttributes,
    passphrase: { none: true },
    rotation: { maxAgeMs: 90 * DAY, overlapMs: DAY, deactivateForMs: DAY, requireOverlap: false },
    ...at(line),
  });
const akInstance = (id: string, ageDays: number) => ({ id, createdAt: daysAgo(ageDays), attributes: { ...akAttributes, access_key_id: id } });
const akRecord = (name: string, id: string, ageDays: number, retiringKeys: RetiringInstance[]) =>
  record(name, id, { ...akScope, current: akInstance(id, ageDays), retiring: retiringKeys });
const akLive = (id: string, status: LiveKey['status'] = 'active') =>
  live(id, {
    ...akScope,
    status,
    attributes: { user_name: 'etl-bot', expires_in: null, state: status === 'active' ? 'ACTIVE' : 'INACTIVE', access_key_id: id },
  });

const unverified = (id: string, user: string) => ({
  id,
  createdAt: daysAgo(1),
  attributes: { user, bits: 2048 },
  unverifiedSince: daysAgo(1),
  verifyError: 'ListApiKeys signed with the new key: 401 NotAuthenticated (after 9 attempts in 2m)',
});

function buildCases(): GoldenCase[] {
  const sevenDays = { overlapMs: 7 * DAY, maxAgeMs: 90 * DAY, requireOverlap: false };
  return [
    { name: 'no-changes', plan: plan([desired('a')], snapshot([live('a1')]), state([record('a', 'a1')]), options()) },
    {
      name: 'no-changes-unmanaged',
      plan: plan([desired('a')], snapshot([live('a1'), live('12:34', { marker: 'old-ci' })]), state([record('a', 'a1')]), options({ rotate: ['ghost'] })),
    },
    {
      // new keys (one waits for the other), and a key deleted outside keyplan.
      name: 'create',
      plan: plan(
        [desired('ci-deployer', at(7)), desired('analytics', { dependsOn: ['ci-deployer'], owner: USER_B, ...at(15) }), desired('drifted', at(22))],
        snapshot([]),
        state([record('drifted', 'd1')]),
        options(),
      ),
    },
    {
      // rotation by age with a 7d overlap, by request without one, before expiry, and because bits changed.
      name: 'rotate',
      plan: plan(
        [
          desired('aged', { rotation: sevenDays, ...at(7) }),
          desired('asked', { owner: USER_B, ...at(14) }),
          desired('expiring', {
            owner: USER_C,
            attributes: { user: USER_C, bits: 2048 },
            rotation: { overlapMs: DAY, beforeExpiryMs: 14 * DAY, requireOverlap: false },
            ...at(20),
          }),
          desired('resized', { owner: USER_D, attributes: { user: USER_D, bits: 4096 }, ...at(27) }),
        ],
        snapshot(
          [live('g1'), live('k1', { owner: USER_B }), live('e1', { owner: USER_C, expiresAt: inDays(3) }), live('r1', { owner: USER_D })],
          [USER_A, USER_B, USER_C, USER_D].map((owner) => ({ provider: 'oci', kind: 'oci.api_key', owner })),
        ),
        state([
          record('aged', 'g1', { current: { id: 'g1', createdAt: daysAgo(120), attributes: { user: USER_A, bits: 2048 } } }),
          record('asked', 'k1', { owner: USER_B, current: { id: 'k1', createdAt: daysAgo(1), attributes: { user: USER_B, bits: 2048 } } }),
          record('expiring', 'e1', { owner: USER_C, current: { id: 'e1', createdAt: daysAgo(80), attributes: { user: USER_C, bits: 2048 } } }),
          record('resized', 'r1', { owner: USER_D, current: { id: 'r1', createdAt: daysAgo(1), attributes: { user: USER_D, bits: 2048 } } }),
        ]),
        options({ rotate: ['asked'] }),
      ),
    },
    {
      // a full quota forces the old key out first; a delete-first kind rotates after a config change.
      name: 'rotate-delete-first',
      plan: plan(
        [desired('a', at(7)), desired('b', at(12)), token('tok', { scope: 'write' }, 18)],
        snapshot([live('a1'), live('b1'), live('12:34'), tokenLive('t1', 'ACTIVE')], [...ociScopes, tokenScope]),
        state([record('a', 'a1'), record('b', 'b1'), tokenRecord('tok', 't1')]),
        options({ rotate: ['a'] }),
      ),
    },
    {
      // in-place updates: one because keys.yaml changed, one because the live key drifted.
      name: 'update',
      plan: plan(
        [token('paused', { state: 'INACTIVE' }, 7), token('reverted', {}, 13)],
        snapshot([tokenLive('p1', 'ACTIVE'), tokenLive('v1', 'INACTIVE')], [tokenScope]),
        state([tokenRecord('paused', 'p1'), tokenRecord('reverted', 'v1')]),
        options(),
      ),
    },
    {
      // removed from keys.yaml (with an old key still in overlap), a retirement, an interrupted create.
      name: 'delete-retire',
      plan: plan(
        [desired('overlapped', at(7))],
        snapshot([live('gone1'), live('gone0'), live('o0'), live('o1'), live('o2'), live('xx', { owner: USER_B })]),
        state(
          // o0's overlap has ended (retired now); o2's has not (listed as a rotation in progress).
          [record('gone', 'gone1', { retiring: [retiring('gone0', 3)] }), record('overlapped', 'o1', { retiring: [retiring('o0', -1), retiring('o2', 5)] })],
          [createIntent('lost', 'xx', USER_B)],
        ),
        options(),
      ),
    },
    {
      // rotation.deactivate_for: an old key whose overlap ended is deactivated (batch), one
      // whose deactivation ended is deleted while another stays deactivated (loader), and a
      // rotation announces both phases (sync).
      name: 'deactivate',
      plan: plan(
        [accessKey('batch', 7), accessKey('loader', 14), accessKey('sync', 21)],
        snapshot([akLive('AKB2'), akLive('AKB1'), akLive('AKL3'), akLive('AKL2', 'inactive'), akLive('AKL1', 'inactive'), akLive('AKS1')], [akScope]),
        state([
          akRecord('batch', 'AKB2', 0, [{ ...akInstance('AKB1', 30), retireAfter: inDays(-1) }]),
          akRecord('loader', 'AKL3', 0, [
            { ...akInstance('AKL1', 60), retireAfter: inDays(-3), deactivatedAt: inDays(-3), deleteAfter: inDays(-2) },
            { ...akInstance('AKL2', 30), retireAfter: inDays(-1), deactivatedAt: inDays(-1), deleteAfter: inDays(1) },
          ]),
          akRecord('sync', 'AKS1', 100, []),
        ]),
        options(),
      ),
    },
    {
      // more keys than the quota allows: the plan is shown but cannot be applied.
      name: 'errored',
      plan: plan(
        ['a', 'b', 'c', 'd'].map((n, i) => desired(n, at(7 + 6 * i))),
        snapshot([]),
        state(),
        options({ rotate: ['a'] }),
      ),
    },
    {
      // rotations whose new key did not authenticate on the last apply: one is verified
      // again from its file output (7d overlap after that), one has no output to read it
      // back from and is replaced.
      name: 'unverified',
      plan: plan(
        [desired('ci', { rotation: sevenDays, outputs: [{ type: 'file', path: 'secrets/ci.pem' }], ...at(7) }), desired('ops', { owner: USER_B, ...at(14) })],
        snapshot([live('c1'), live('c2'), live('o1', { owner: USER_B }), live('o2', { owner: USER_B })], ociScopes),
        state([
          record('ci', 'c1', { pending: unverified('c2', USER_A) }),
          record('ops', 'o1', {
            owner: USER_B,
            current: { id: 'o1', createdAt: daysAgo(1), attributes: { user: USER_B, bits: 2048 } },
            pending: unverified('o2', USER_B),
          }),
        ]),
        options({ readableOutputs: ['file'] }),
      ),
    },
    { name: 'multiline', plan: planOf([pemCreate, pemUpdate, pemRotate]) },
  ];
}

/** A Plan around hand-written changes, with the planner's summary rules. */
export function planOf(changes: readonly PlannedChange[], extra: Partial<Plan> = {}): Plan {
  const count = (...actions: string[]): number => changes.filter((c) => actions.includes(c.action)).length;
  return {
    formatVersion: 1,
    changes,
    unmanaged: [],
    diagnostics: [],
    summary: { create: count('create'), rotate: count('rotate'), update: count('update'), delete: count('delete', 'retire'), import: 0 },
    errored: false,
    ...extra,
  };
}

const base = { provider: 'oci', kind: 'oci.api_key', owner: USER_A, computed: [], sensitive: [], deletes: [], dependsOn: [], notes: [] };

/** PEM-shaped public keys: synthetic base64 lines, not key material. */
function fakePem(marker: string): string {
  const body = Array.from({ length: 6 }, (_, i) => Buffer.from(`${marker}-public-line-${i}-`.repeat(3)).toString('base64').slice(0, 64));
  return ['-----BEGIN PUBLIC KEY-----', ...body, '-----END PUBLIC KEY-----', ''].join('\n');
}

/** An OCI config profile as an output would write it. */
function profile(fingerprint: string, keyFile: string): string {
  return `[CI_DEPLOYER]\nuser=${USER_A}\nfingerprint=${fingerprint}\ntenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\nkey_file=${keyFile}\n`;
}

const pemCreate: PlannedChange = {
  ...base,
  address: 'oci.api_key.fresh',
  name: 'fresh',
  action: 'create',
  reason: 'new',
  before: null,
  after: { user: USER_A, bits: 2048, public_key: fakePem('fresh') },
  computed: ['fingerprint'],
  sensitive: ['private_key'],
};

const pemUpdate: PlannedChange = {
  ...base,
  address: 'oci.api_key.profiled',
  name: 'profiled',
  action: 'update',
  reason: 'config_changed',
  before: { user: USER_A, fingerprint: 'aa:bb', oci_profile: profile('aa:bb', 'secrets/old.pem'), expires_at: '2025-09-01T00:00:00.000Z' },
  after: { user: USER_A, fingerprint: 'aa:bb', oci_profile: profile('aa:bb', 'secrets/ci.pem'), expires_at: '2025-12-01T00:00:00.000Z' },
};

const pemRotate: PlannedChange = {
  ...base,
  address: 'oci.api_key.rotated',
  name: 'rotated',
  action: 'rotate',
  reason: 'requested',
  order: 'create_before_delete',
  overlapMs: 2 * DAY,
  before: { user: USER_A, bits: 2048, fingerprint: 'cc:dd', public_key: fakePem('old') },
  after: { user: USER_A, bits: 2048 },
  computed: ['fingerprint', 'public_key'],
  sensitive: ['private_key'],
  deletes: [],
  notes: ['old key cc:dd is kept for 2d and retired by a later apply'],
};

/** The cases, built once (after the hand-written changes above are initialised). */
export const GOLDEN_CASES: readonly GoldenCase[] = buildCases();
