import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import { plan } from './planner.js';
import { DAY, USER_A, USER_B, desired, live, options, record, retiring, snapshot, state, refs } from '../../test/helpers/plan-fixtures.js';

const withPolicy = (name: string, overlapMs: number, requireOverlap: boolean): DesiredKey => desired(name, { rotation: { overlapMs, requireOverlap } });

describe('plan: OCI quota of 3 keys per user', () => {
  // a and b managed, one unmanaged key: the user's three slots are full.
  const records = [record('a', 'a1'), record('b', 'b1')];
  const keys = [live('a1'), live('b1'), live('12:34')];

  it('switches a rotation to delete_before_create, with a note', () => {
    const p = plan([desired('a'), desired('b')], snapshot(keys), state(records), options({ rotate: ['a'] }));
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ action: 'rotate', order: 'delete_before_create', deletes: refs('a1') });
    expect(p.changes[0]?.notes).toEqual([`user ${USER_A} has 3 of 3 key slots in use: the old key is deleted before the new one is created`]);
    expect(p.errored).toBe(false);
    expect(p.unmanaged.map((k) => k.id)).toEqual(['12:34']);
  });

  it('drops the overlap of a switched rotation and says so', () => {
    const p = plan([withPolicy('a', 7 * DAY, false), desired('b')], snapshot(keys), state(records), options({ rotate: ['a'] }));
    const c = p.changes[0];
    expect(c).toMatchObject({ order: 'delete_before_create', deletes: refs('a1') });
    expect(c?.overlapMs).toBeUndefined();
    expect(c?.notes).toEqual([
      `user ${USER_A} has 3 of 3 key slots in use: the old key is deleted before the new one is created`,
      'rotation.overlap (7d) cannot be kept for this rotation',
    ]);
  });

  it('switches rotations one at a time, in address order, only as many as needed', () => {
    const two = [record('a', 'a1'), record('b', 'b1')];
    const p = plan([desired('a'), desired('b')], snapshot([live('a1'), live('b1')]), state(two), options({ rotate: ['a', 'b'] }));
    // 2 held + 2 create-first rotations = 4 > 3: switching a alone brings the peak to 3.
    expect(p.changes.map((c) => [c.name, c.order])).toEqual([
      ['a', 'delete_before_create'],
      ['b', 'create_before_delete'],
    ]);
  });

  it('refuses a rotation with rotation.require_overlap instead of switching it', () => {
    const p = plan([withPolicy('a', 0, true), desired('b')], snapshot(keys), state(records), options({ rotate: ['a'] }));
    expect(p.errored).toBe(true);
    expect(p.changes[0]).toMatchObject({ order: 'create_before_delete' });
    expect(p.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'KP_PLAN_E0003',
        path: 'keys[0].rotation.require_overlap',
        message: `a cannot be rotated: user ${USER_A} has 3 of 3 key slots in use, so the old key would have to be deleted before the new one is created, and rotation.require_overlap forbids that`,
      },
    ]);
  });

  it('switches another rotation so a require_overlap one keeps its overlap', () => {
    const p = plan([withPolicy('a', 0, true), desired('b')], snapshot([live('a1'), live('b1')]), state(records), options({ rotate: ['a', 'b'] }));
    expect(p.errored).toBe(false);
    expect(p.changes.map((c) => [c.name, c.order])).toEqual([
      ['a', 'create_before_delete'],
      ['b', 'delete_before_create'],
    ]);
  });

  it('refuses creates that cannot fit, naming the keys that hold the slots', () => {
    const p = plan([desired('a'), desired('b'), desired('c')], snapshot(keys), state(records), options());
    expect(p.changes.map((c) => c.action)).toEqual(['create']);
    expect(p.errored).toBe(true);
    expect(p.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'KP_PLAN_E0002',
        path: 'keys[2]',
        message: `user ${USER_A} would need 4 API keys; OCI allows 3 (held by: a, b, unmanaged 12:34); planned new keys: c`,
      },
    ]);
  });

  it('lets a create use the slot a delete frees first, and orders it after the delete', () => {
    const p = plan([desired('a'), desired('c')], snapshot(keys), state(records), options());
    expect(p.errored).toBe(false);
    expect(p.changes.map((c) => [c.name, c.action, c.dependsOn])).toEqual([
      ['b', 'delete', []],
      ['c', 'create', ['b']],
    ]);
  });

  it('counts quotas per owner', () => {
    const p = plan([desired('a'), desired('b'), desired('c', { owner: USER_B })], snapshot(keys), state(records), options());
    expect(p.errored).toBe(false);
    expect(p.changes[0]?.dependsOn).toEqual([]);
  });

  it('ignores live keys already being deleted', () => {
    const deleting = [live('a1'), live('b1'), live('12:34', { status: 'deleting' })];
    const p = plan([desired('a'), desired('b'), desired('c')], snapshot(deleting), state(records), options());
    expect(p.errored).toBe(false);
  });

  it('frees a due retiring key first by switching the rotation', () => {
    const withRetiring = [record('a', 'a1', { retiring: [retiring('a0', -1)] }), record('b', 'b1')];
    const p = plan([desired('a'), desired('b')], snapshot([live('a0'), live('a1'), live('b1')]), state(withRetiring), options({ rotate: ['a'] }));
    expect(p.changes[0]).toMatchObject({ action: 'rotate', order: 'delete_before_create', deletes: refs('a1', 'a0') });
  });
});
