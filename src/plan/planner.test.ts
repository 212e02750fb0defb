import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '../model/plan.js';
import { plan } from './planner.js';
import { DAY, USER_A, USER_B, daysAgo, desired, live, options, record, snapshot, state, refs } from '../../test/helpers/plan-fixtures.js';

const only = (changes: readonly PlannedChange[]): PlannedChange => {
  expect(changes).toHaveLength(1);
  return changes[0] as PlannedChange;
};

describe('plan: create, nothing to do, drift', () => {
  it('creates a declared key with no state record (reason new)', () => {
    const p = plan([desired('ci')], snapshot(), state(), options());
    expect(only(p.changes)).toEqual({
      address: 'oci.api_key.ci',
      name: 'ci',
      kind: 'oci.api_key',
      provider: 'oci',
      owner: USER_A,
      action: 'create',
      reason: 'new',
      before: null,
      after: { user: USER_A, bits: 2048 },
      computed: ['fingerprint'],
      sensitive: ['private_key'],
      deletes: [],
      dependsOn: [],
      notes: [],
    });
    expect(p.summary).toEqual({ create: 1, rotate: 0, update: 0, delete: 0, import: 0 });
    expect(p.errored).toBe(false);
  });

  it('plans nothing for a recorded, live, fresh key', () => {
    const p = plan([desired('ci')], snapshot([live('aa')]), state([record('ci', 'aa')]), options());
    expect(p.changes).toEqual([]);
    expect(p.unmanaged).toEqual([]);
    expect(p.diagnostics).toEqual([]);
  });

  it('re-creates a managed key deleted outside keyplan (drift_missing)', () => {
    const p = plan([desired('ci')], snapshot([]), state([record('ci', 'aa')]), options());
    const c = only(p.changes);
    expect([c.action, c.reason, c.before, c.deletes.map((d) => d.id)]).toEqual(['create', 'drift_missing', null, []]);
    expect(c.notes).toEqual(['key aa recorded in state no longer exists; a new key is created']);
  });

  it('leaves a key alone, with a warning, when its scope was not read', () => {
    const p = plan([desired('ci')], snapshot([], []), state([record('ci', 'aa')]), options());
    expect(p.changes).toEqual([]);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['KP_PLAN_W0006']);
  });

  it('reports an unknown kind as an error but still plans the key', () => {
    const p = plan([desired('x', { kind: 'nope.kind' })], snapshot(), state(), options());
    expect(p.changes.map((c) => c.address)).toEqual(['nope.kind.x']);
    expect(p.errored).toBe(true);
    expect(p.diagnostics[0]).toMatchObject({ code: 'KP_PLAN_E0001', path: 'keys[0].kind' });
  });

  it('reports a repeated name and plans the first entry only', () => {
    const p = plan([desired('a'), desired('a', { owner: USER_B })], snapshot(), state(), options());
    expect(p.changes.map((c) => c.owner)).toEqual([USER_A]);
    expect(p.diagnostics[0]).toMatchObject({ code: 'KP_PLAN_E0004', path: 'keys[1].name' });
  });
});

describe('plan: rotation triggers', () => {
  const base = { records: [record('ci', 'aa')], keys: [live('aa')] };

  it.each([
    ['requested', desired('ci'), { rotate: ['ci'] }, undefined],
    ['max_age', desired('ci', { rotation: { maxAgeMs: DAY, overlapMs: 0, requireOverlap: false } }), {}, undefined],
    [
      'expiring',
      desired('ci', { rotation: { beforeExpiryMs: 7 * DAY, overlapMs: 0, requireOverlap: false } }),
      {},
      live('aa', { expiresAt: new Date(Date.parse(daysAgo(0)) + 3 * DAY).toISOString() }),
    ],
    ['config_changed', desired('ci', { attributes: { user: USER_A, bits: 4096 } }), {}, undefined],
  ] as const)('rotates for %s', (reason, d, extra, liveKey) => {
    const p = plan([d], snapshot([liveKey ?? live('aa')]), state(base.records), options(extra));
    const c = only(p.changes);
    expect(c).toMatchObject({ action: 'rotate', reason, order: 'create_before_delete', deletes: refs('aa') });
    expect(c.before).toEqual({ user: USER_A, bits: 2048, fingerprint: 'aa' });
    expect(c.after).toEqual(d.attributes);
    expect(p.summary.rotate).toBe(1);
  });

  it('prefers config_changed over requested and max_age', () => {
    const d = desired('ci', {
      attributes: { user: USER_A, bits: 4096 },
      rotation: { maxAgeMs: DAY, overlapMs: 0, requireOverlap: false },
    });
    const p = plan([d], snapshot(base.keys), state(base.records), options({ rotate: ['ci'] }));
    expect(only(p.changes).reason).toBe('config_changed');
  });

  it('does not rotate a key younger than max_age', () => {
    const d = desired('ci', { rotation: { maxAgeMs: 2 * DAY, overlapMs: 0, requireOverlap: false } });
    expect(plan([d], snapshot(base.keys), state(base.records), options()).changes).toEqual([]);
  });

  it('rotates when the owner moves, noting where the old key lives', () => {
    const d = desired('ci', { owner: USER_B });
    const p = plan([d], snapshot(base.keys), state(base.records), options());
    const c = only(p.changes);
    expect([c.action, c.reason, c.owner, c.deletes.map((d) => d.id)]).toEqual(['rotate', 'config_changed', USER_B, ['aa']]);
    expect(c.notes[0]).toContain(`from oci oci.api_key ${USER_A} to oci oci.api_key ${USER_B}`);
  });

  it('warns about --rotate of an unknown name and of a key created anyway', () => {
    const p = plan([desired('new')], snapshot(), state(), options({ rotate: ['new', 'ghost'] }));
    expect(p.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'KP_PLAN_W0001'],
      ['warning', 'KP_PLAN_W0002'],
    ]);
    expect(p.errored).toBe(false);
  });

  it('warns about an unreadable creation time instead of throwing', () => {
    const d = desired('ci', { rotation: { maxAgeMs: DAY, overlapMs: 0, requireOverlap: false } });
    const r = record('ci', 'aa', { current: { id: 'aa', createdAt: 'yesterday', attributes: { user: USER_A, bits: 2048 } } });
    const p = plan([d], snapshot(base.keys), state([r]), options());
    expect(p.changes).toEqual([]);
    expect(p.diagnostics.map((x) => x.code)).toEqual(['KP_PLAN_W0004']);
  });
});

describe('plan: in-place update (kinds with updatable attributes)', () => {
  const tokenKey = (state_: string) => desired('tok', { kind: 'test.token', provider: 'test', owner: 'u1', attributes: { scope: 'read', state: state_ } });
  const tokenLive = live('t1', { provider: 'test', kind: 'test.token', owner: 'u1', attributes: { token_id: 't1', state: 'ACTIVE' } });
  const tokenRecord = record('tok', 't1', {
    kind: 'test.token',
    provider: 'test',
    owner: 'u1',
    current: { id: 't1', createdAt: daysAgo(1), attributes: { scope: 'read', state: 'ACTIVE' } },
  });
  const scopes = [{ provider: 'test', kind: 'test.token', owner: 'u1' }];

  it('updates a changed updatable attribute (config_changed)', () => {
    const p = plan([tokenKey('INACTIVE')], snapshot([tokenLive], scopes), state([tokenRecord]), options());
    const c = only(p.changes);
    expect(c).toMatchObject({ action: 'update', reason: 'config_changed', deletes: [] });
    expect(c.before).toEqual({ scope: 'read', state: 'ACTIVE', token_id: 't1' });
    expect(c.after).toEqual({ scope: 'read', state: 'INACTIVE', token_id: 't1' });
  });

  it('updates a key changed outside keyplan (drift_state)', () => {
    const drifted = { ...tokenLive, attributes: { token_id: 't1', state: 'INACTIVE' } };
    const p = plan([tokenKey('ACTIVE')], snapshot([drifted], scopes), state([tokenRecord]), options());
    const c = only(p.changes);
    expect(c).toMatchObject({ action: 'update', reason: 'drift_state' });
    // before shows the drifted live value, so the plan shows what the update changes back.
    expect(c.before).toEqual({ scope: 'read', state: 'INACTIVE', token_id: 't1' });
    expect(c.after).toEqual({ scope: 'read', state: 'ACTIVE', token_id: 't1' });
  });

  it('rotates delete-first for a kind whose rotationOrder says so', () => {
    const p = plan([tokenKey('ACTIVE')], snapshot([tokenLive], scopes), state([tokenRecord]), options({ rotate: ['tok'] }));
    expect(only(p.changes)).toMatchObject({ action: 'rotate', order: 'delete_before_create', deletes: refs('t1') });
  });
});

describe('plan: unmanaged keys', () => {
  it('lists unclaimed live keys of read scopes, sorted, and never changes them', () => {
    const keys = [live('zz'), live('bb', { owner: USER_B }), live('aa')];
    const p = plan([desired('ci')], snapshot(keys), state([record('ci', 'aa')]), options());
    expect(p.changes).toEqual([]);
    expect(p.unmanaged.map((k) => k.id)).toEqual(['zz', 'bb']);
  });

  it('leaves out keys of scopes that were not read', () => {
    const p = plan([], snapshot([live('zz')], []), state(), options());
    expect(p.unmanaged).toEqual([]);
  });
});

describe('plan: depends_on', () => {
  it('keeps only dependencies that have a change, sorted', () => {
    const keys = [
      desired('app', { dependsOn: ['zeta', 'base', 'steady'] }),
      desired('base', { owner: USER_B }),
      desired('zeta', { owner: USER_B }),
      desired('steady', { owner: USER_B }),
    ];
    const p = plan(keys, snapshot([live('s1', { owner: USER_B })]), state([record('steady', 's1', { owner: USER_B })]), options());
    const app = p.changes.find((c) => c.name === 'app');
    expect(app?.dependsOn).toEqual(['base', 'zeta']);
    expect(p.changes.map((c) => c.address)).toEqual(['oci.api_key.app', 'oci.api_key.base', 'oci.api_key.zeta']);
  });
});

describe('plan: input that breaks its types', () => {
  it('plans nothing and reports the first broken value as a keyplan bug, without echoing it', () => {
    const nameless = { ...desired('ci'), name: ['ci-secret-looking'] } as unknown as ReturnType<typeof desired>;
    const p = plan([desired('ok'), nameless], snapshot(), state(), options());
    expect(p.changes).toEqual([]);
    expect(p.errored).toBe(true);
    expect(p.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'KP_PLAN_E0000',
        message: "bug in keyplan's planner: Expected `desired[1].name` to be a non-empty string, got an array; please open an issue with the command you ran",
      },
    ]);
  });

  it('accepts well-typed input it cannot make sense of, and plans it', () => {
    const p = plan([desired('ci', { kind: 'mystery.kind' })], snapshot([live('aa', { createdAt: 'not a date', expiresAt: '' })]), state(), options());
    const codes = p.diagnostics.map((d) => d.code);
    expect(codes).toContain('KP_PLAN_E0001');
    expect(codes).not.toContain('KP_PLAN_E0000');
  });
});
