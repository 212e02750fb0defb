import { describe, expect, it } from 'vitest';
import type { LiveKey } from '../model/live.js';
import type { RetiringInstance } from '../model/state.js';
import { plan } from './planner.js';
import { DAY, NOW, daysAgo, desired, live, options, record, retiring, snapshot, state } from '../../test/helpers/plan-fixtures.js';

// outscale.access_key can deactivate keys (KindSpec.canDeactivate); oci.api_key cannot.
const scope = { provider: 'osc', kind: 'outscale.access_key', owner: 'etl-bot' };
const attributes = { user_name: 'etl-bot', expires_in: null, state: 'ACTIVE' };
const rotation = { maxAgeMs: 90 * DAY, overlapMs: DAY, deactivateForMs: 2 * DAY, requireOverlap: false };
const etl = desired('etl', { ...scope, attributes, passphrase: { none: true }, rotation });
const at = (days: number): string => new Date(NOW + days * DAY).toISOString();
const instance = (id: string, extra: Partial<RetiringInstance> = {}): RetiringInstance => ({
  id,
  createdAt: daysAgo(30),
  attributes: { ...attributes, access_key_id: id },
  retireAfter: at(-1),
  ...extra,
});
const ak = (id: string, status: LiveKey['status'] = 'active'): LiveKey => live(id, { ...scope, status, attributes: { ...attributes, access_key_id: id } });
const etlRecord = (retiringKeys: RetiringInstance[]) =>
  record('etl', 'AK2', {
    ...scope,
    current: { id: 'AK2', createdAt: daysAgo(1), attributes: { ...attributes, access_key_id: 'AK2' } },
    retiring: retiringKeys,
  });

describe('plan: rotation.deactivate_for', () => {
  it('deactivates an old key whose overlap ended instead of deleting it, counted as an update', () => {
    const p = plan([etl], snapshot([ak('AK2'), ak('AK1')], [scope]), state([etlRecord([instance('AK1')])]), options());
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({
      action: 'retire',
      reason: 'overlap_elapsed',
      deletes: [],
      deactivates: [{ ...scope, id: 'AK1' }],
      deactivateForMs: 2 * DAY,
    });
    expect(p.summary).toMatchObject({ update: 1, delete: 0 });
    expect(p.phases?.[0]?.instances[1]).toEqual({
      instanceId: 'AK1',
      role: 'retiring',
      phase: 'overlap',
      until: at(-1),
      next: { phase: 'deactivated', at: at(-1), due: true },
    });
  });

  it('keeps a deactivated key until deleteAfter, then deletes it (deactivation_elapsed)', () => {
    const deactivated = instance('AK1', { retireAfter: at(-1), deactivatedAt: at(-1), deleteAfter: at(1) });
    const live = snapshot([ak('AK2'), ak('AK1', 'inactive')], [scope]);
    const before = plan([etl], live, state([etlRecord([deactivated])]), options());
    expect(before.changes).toEqual([]);
    expect(before.phases?.[0]?.instances[1]).toMatchObject({ phase: 'deactivated', until: at(1), next: { phase: 'deleted', due: false } });
    const after = plan([etl], live, state([etlRecord([deactivated])]), options({ now: NOW + DAY }));
    expect(after.changes[0]).toMatchObject({ action: 'retire', reason: 'deactivation_elapsed', deletes: [{ ...scope, id: 'AK1' }] });
    expect(after.changes[0]?.deactivates).toBeUndefined();
    expect(after.summary).toMatchObject({ update: 0, delete: 1 });
  });

  it('announces both phases on a rotation', () => {
    const aged = record('etl', 'AK1', { ...scope, current: { id: 'AK1', createdAt: daysAgo(100), attributes: { ...attributes, access_key_id: 'AK1' } } });
    const p = plan([etl], snapshot([ak('AK1')], [scope]), state([aged]), options());
    expect(p.changes[0]).toMatchObject({ action: 'rotate', overlapMs: DAY, deactivateForMs: 2 * DAY });
    expect(p.changes[0]?.notes).toContain('old key AK1 is kept for 1d, then deactivated for 2d, and deleted by later applies');
    expect(p.phases?.[0]?.instances).toEqual([{ instanceId: 'AK1', role: 'current', phase: 'created', next: { phase: 'overlap', due: true } }]);
  });

  it('deletes at the end of the overlap for a kind that cannot deactivate, whatever the policy says', () => {
    const oci = desired('ci', { rotation });
    const p = plan([oci], snapshot([live('o1'), live('o0')]), state([record('ci', 'o1', { retiring: [retiring('o0', -1)] })]), options());
    expect(p.changes[0]).toMatchObject({ action: 'retire', reason: 'overlap_elapsed' });
    expect(p.changes[0]?.deactivates).toBeUndefined();
    expect(p.changes[0]?.deletes.map((d) => d.id)).toEqual(['o0']);
  });

  it('counts a deactivated key in the quota: a full user rotates delete-first', () => {
    // 8 unmanaged + the current + one deactivated old key = the 10 OUTSCALE allows.
    const others = Array.from({ length: 8 }, (_, i) => ak(`AKX${i}`));
    const deactivated = instance('AK1', { deactivatedAt: at(-1), deleteAfter: at(1) });
    const p = plan([etl], snapshot([ak('AK2'), ak('AK1', 'inactive'), ...others], [scope]), state([etlRecord([deactivated])]), options({ rotate: ['etl'] }));
    expect(p.changes[0]).toMatchObject({ action: 'rotate', order: 'delete_before_create' });
    expect(p.changes[0]?.notes[0]).toBe('user etl-bot has 10 of 10 key slots in use: the old key is deleted before the new one is created');
  });
});
