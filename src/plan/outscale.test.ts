/**
 * The planner with outscale.access_key keys: in-place updates of state and lifetime,
 * rotation by age and by expiry, the 10-keys quota, and marked keys missing from state.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { ManagedKey } from '../model/state.js';
import { DAY, NOW, daysAgo, options, state } from '../../test/helpers/plan-fixtures.js';
import { PLAN_CODES } from './diagnostics.js';
import { plan } from './planner.js';

const KIND = 'outscale.access_key';
const USER = 'etl-bot';

function oscKey(name: string, attrs: { expires_in?: string | null; state?: string } = {}, over: Partial<DesiredKey> = {}): DesiredKey {
  return {
    name,
    kind: KIND,
    provider: 'osc',
    owner: USER,
    attributes: { user_name: USER, expires_in: attrs.expires_in ?? null, state: attrs.state ?? 'ACTIVE' },
    passphrase: { none: true },
    outputs: [{ type: 'file', path: `${name}.json` }],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
    ...over,
  };
}

function oscLive(id: string, over: { state?: string; expires_in?: string | null; expiresAt?: string; marker?: string; createdAt?: string } = {}): LiveKey {
  return {
    provider: 'osc',
    kind: KIND,
    owner: USER,
    id,
    status: over.state === 'INACTIVE' ? 'inactive' : 'active',
    createdAt: over.createdAt ?? daysAgo(1),
    ...(over.expiresAt !== undefined ? { expiresAt: over.expiresAt } : {}),
    attributes: { access_key_id: id, state: over.state ?? 'ACTIVE', expires_in: over.expires_in ?? null, tag: null },
    ...(over.marker !== undefined ? { marker: over.marker } : {}),
  };
}

function oscRecord(name: string, id: string, attrs: { expires_in?: string | null; state?: string } = {}, createdAt = daysAgo(1)): ManagedKey {
  return {
    name,
    kind: KIND,
    provider: 'osc',
    owner: USER,
    current: { id, createdAt, attributes: { user_name: USER, expires_in: attrs.expires_in ?? null, state: attrs.state ?? 'ACTIVE', access_key_id: id } },
    retiring: [],
  };
}

const snap = (keys: LiveKey[]) => ({ scopes: [{ provider: 'osc', kind: KIND, owner: USER }], keys });

describe('planner with outscale.access_key', () => {
  it('updates the state in place (~), keeping the lifetime', () => {
    const p = plan(
      [oscKey('etl', { expires_in: '90d', state: 'INACTIVE' })],
      snap([oscLive('AK1', { expires_in: '90d' })]),
      state([oscRecord('etl', 'AK1', { expires_in: '90d' })]),
      options(),
    );
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({
      action: 'update',
      reason: 'config_changed',
      deletes: [],
      before: { state: 'ACTIVE', expires_in: '90d', access_key_id: 'AK1' },
      after: { state: 'INACTIVE', expires_in: '90d', access_key_id: 'AK1' },
    });
    expect(p.summary).toMatchObject({ update: 1, create: 0, rotate: 0 });
  });

  it('calls a state changed outside keyplan drift, and shows the live value', () => {
    const p = plan([oscKey('etl')], snap([oscLive('AK1', { state: 'INACTIVE' })]), state([oscRecord('etl', 'AK1')]), options());
    expect(p.changes[0]).toMatchObject({ action: 'update', reason: 'drift_state', before: { state: 'INACTIVE' }, after: { state: 'ACTIVE' } });
  });

  it('updates a changed lifetime in place, and plans nothing when everything matches', () => {
    const changed = plan(
      [oscKey('etl', { expires_in: '30d' })],
      snap([oscLive('AK1', { expires_in: '90d' })]),
      state([oscRecord('etl', 'AK1', { expires_in: '90d' })]),
      options(),
    );
    expect(changed.changes[0]).toMatchObject({ action: 'update', before: { expires_in: '90d' }, after: { expires_in: '30d' } });
    const same = plan(
      [oscKey('etl', { expires_in: '90d' })],
      snap([oscLive('AK1', { expires_in: '90d' })]),
      state([oscRecord('etl', 'AK1', { expires_in: '90d' })]),
      options(),
    );
    expect(same.changes).toEqual([]);
  });

  it('rotates by max_age and before expiry, and an expired key even without before_expiry', () => {
    const aged = oscKey('etl', {}, { rotation: { maxAgeMs: 30 * DAY, overlapMs: 0, requireOverlap: false } });
    expect(plan([aged], snap([oscLive('AK1')]), state([oscRecord('etl', 'AK1', {}, daysAgo(31))]), options()).changes[0]).toMatchObject({
      action: 'rotate',
      reason: 'max_age',
      order: 'create_before_delete',
    });
    const expiresSoon = new Date(NOW + 10 * DAY).toISOString();
    const soon = oscKey('etl', { expires_in: '90d' }, { rotation: { beforeExpiryMs: 14 * DAY, overlapMs: 0, requireOverlap: false } });
    const r = plan(
      [soon],
      snap([oscLive('AK1', { expires_in: '90d', expiresAt: expiresSoon })]),
      state([oscRecord('etl', 'AK1', { expires_in: '90d' })]),
      options(),
    );
    expect(r.changes[0]).toMatchObject({ action: 'rotate', reason: 'expiring', notes: [`key AK1 expires ${expiresSoon}; rotation.before_expiry is 14d`] });
    const expired = new Date(NOW - DAY).toISOString();
    const e = plan(
      [oscKey('etl', { expires_in: '90d' })],
      snap([oscLive('AK1', { expires_in: '90d', expiresAt: expired })]),
      state([oscRecord('etl', 'AK1', { expires_in: '90d' })]),
      options(),
    );
    expect(e.changes[0]).toMatchObject({ action: 'rotate', reason: 'expiring', notes: [`key AK1 expired ${expired}`] });
    const fine = plan(
      [oscKey('etl', { expires_in: '90d' })],
      snap([oscLive('AK1', { expires_in: '90d', expiresAt: expiresSoon })]),
      state([oscRecord('etl', 'AK1', { expires_in: '90d' })]),
      options(),
    );
    expect(fine.changes).toEqual([]);
  });

  it('refuses an 11th key for one user, naming the holders', () => {
    const held = Array.from({ length: 9 }, (_, i) => oscLive(`AK${i}`));
    const p = plan([oscKey('a'), oscKey('b')], snap(held), state(), options());
    expect(p.errored).toBe(true);
    expect(p.diagnostics[0]).toMatchObject({ code: PLAN_CODES.quotaExceeded });
    expect(p.diagnostics[0]?.message).toBe(
      `user ${USER} would need 11 access keys; OUTSCALE allows 10 (held by: unmanaged AK0, unmanaged AK1, unmanaged AK2, unmanaged AK3, unmanaged AK4, unmanaged AK5, unmanaged AK6, unmanaged AK7, unmanaged AK8); planned new keys: a, b`,
    );
    expect(plan([oscKey('a')], snap(held), state(), options()).errored).toBe(false);
  });

  it('reports a marked key missing from state as recoverable with keyplan import', () => {
    const p = plan([oscKey('etl')], snap([oscLive('AKLOST', { marker: 'etl' }), oscLive('AKOTHER', { marker: 'gone' })]), state(), options());
    expect(p.changes[0]).toMatchObject({
      action: 'create',
      notes: ["live key AKLOST carries this key's marker; `keyplan import etl AKLOST` would adopt it instead"],
    });
    expect(p.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      [
        'warning',
        PLAN_CODES.recoverable,
        `${KIND} AKLOST of ${USER} carries keyplan's marker for "etl" but is not in the state; to adopt it instead of creating a new key, run: keyplan import etl AKLOST`,
      ],
    ]);
    // A marker of an undeclared name is only listed among the unmanaged keys.
    expect(p.unmanaged.map((k) => [k.id, k.marker])).toEqual([
      ['AKLOST', 'etl'],
      ['AKOTHER', 'gone'],
    ]);
  });

  it('deletes the key of an interrupted create found by its Tag', () => {
    const intent = {
      id: 'i1',
      operation: 'create' as const,
      name: 'etl',
      kind: KIND,
      provider: 'osc',
      owner: USER,
      match: { attribute: 'tag', value: 'keyplan:etl:abc' },
      startedAt: daysAgo(0),
    };
    const orphan = { ...oscLive('AKHALF', { marker: 'etl' }), attributes: { ...oscLive('AKHALF').attributes, tag: 'keyplan:etl:abc' } };
    const p = plan([oscKey('etl')], snap([orphan]), state([], [intent]), options());
    expect(p.changes[0]).toMatchObject({ action: 'create', deletes: [expect.objectContaining({ id: 'AKHALF' })] });
    expect(p.unmanaged).toEqual([]);
    expect(p.diagnostics).toEqual([]);
  });
});
