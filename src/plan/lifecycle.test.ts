import { describe, expect, it } from 'vitest';
import { plan } from './planner.js';
import { DAY, USER_A, USER_B, createIntent, desired, live, options, record, retiring, snapshot, state, refs } from '../../test/helpers/plan-fixtures.js';

const overlapKey = (name: string) => desired(name, { rotation: { overlapMs: 7 * DAY, requireOverlap: false } });

describe('plan: overlap and retirement', () => {
  it('keeps the old key for the overlap: overlapMs set, nothing deleted yet', () => {
    const p = plan([overlapKey('ci')], snapshot([live('aa')]), state([record('ci', 'aa')]), options({ rotate: ['ci'] }));
    expect(p.changes[0]).toMatchObject({ action: 'rotate', order: 'create_before_delete', overlapMs: 7 * DAY, deletes: [] });
    expect(p.changes[0]?.notes).toEqual(['old key aa is kept for 7d and retired by a later apply']);
  });

  it('retires a rotated-out key once its overlap has elapsed', () => {
    const r = record('ci', 'bb', { retiring: [retiring('aa', -1)] });
    const p = plan([desired('ci')], snapshot([live('aa'), live('bb')]), state([r]), options());
    expect(p.changes).toEqual([
      expect.objectContaining({
        action: 'retire',
        reason: 'overlap_elapsed',
        deletes: refs('aa'),
        before: { user: USER_A, bits: 2048, fingerprint: 'aa' },
        after: null,
        computed: [],
        sensitive: [],
      }),
    ]);
    expect(p.summary.delete).toBe(1);
  });

  it('does nothing before the overlap ends, or when the old key is already gone', () => {
    const notDue = record('ci', 'bb', { retiring: [retiring('aa', 1)] });
    expect(plan([desired('ci')], snapshot([live('aa'), live('bb')]), state([notDue]), options()).changes).toEqual([]);
    const gone = record('ci', 'bb', { retiring: [retiring('aa', -1)] });
    expect(plan([desired('ci')], snapshot([live('bb')]), state([gone]), options()).changes).toEqual([]);
  });

  it('folds a due retirement into a rotation of the same key', () => {
    const r = record('ci', 'bb', { retiring: [retiring('aa', -1)] });
    const p = plan([desired('ci')], snapshot([live('aa'), live('bb')]), state([r]), options({ rotate: ['ci'] }));
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ action: 'rotate', deletes: refs('bb', 'aa') });
    expect(p.changes[0]?.notes.at(-1)).toMatch(/^old key aa is deleted: its overlap ended /);
  });
});

describe('plan: keys removed from keys.yaml', () => {
  it('deletes the current and retiring keys that are live', () => {
    const r = record('old', 'o2', { retiring: [retiring('o1', 3), retiring('o0', -3)] });
    const p = plan([], snapshot([live('o1'), live('o2')]), state([r]), options());
    expect(p.changes).toEqual([
      expect.objectContaining({
        address: 'oci.api_key.old',
        action: 'delete',
        reason: 'removed_from_config',
        deletes: refs('o2', 'o1'),
        before: { user: USER_A, bits: 2048, fingerprint: 'o2' },
        after: null,
        notes: ['old key o1, still in its rotation overlap, is deleted too'],
      }),
    ]);
  });

  it('plans nothing when none of its keys is live any more', () => {
    expect(plan([], snapshot([]), state([record('old', 'o1')]), options()).changes).toEqual([]);
  });
});

describe('plan: interrupted creates', () => {
  it('deletes an unrecorded key a create intent names (its own change)', () => {
    const p = plan([desired('ci')], snapshot([live('aa'), live('xx')]), state([record('ci', 'aa')], [createIntent('ci', 'xx')]), options());
    expect(p.changes).toEqual([expect.objectContaining({ address: 'oci.api_key.ci', action: 'delete', reason: 'interrupted_create', deletes: refs('xx') })]);
    expect(p.unmanaged).toEqual([]);
  });

  it("merges into the key's create when the name also has a change", () => {
    const p = plan([desired('ci')], snapshot([live('xx')]), state([], [createIntent('ci', 'xx')]), options());
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ action: 'create', reason: 'new', deletes: refs('xx') });
    expect(p.changes[0]?.notes).toEqual(['key xx was created by an interrupted apply and never recorded; it is deleted']);
  });

  it('ignores intents whose key is recorded, absent, or a delete', () => {
    const intents = [createIntent('ci', 'aa'), createIntent('ci', 'gone'), { ...createIntent('ci', 'zz'), operation: 'delete' as const }];
    const p = plan([desired('ci')], snapshot([live('aa'), live('zz')]), state([record('ci', 'aa')], intents), options());
    expect(p.changes).toEqual([]);
    expect(p.unmanaged.map((k) => k.id)).toEqual(['zz']);
  });
});

describe('plan: --target', () => {
  const keys = [
    desired('app', { dependsOn: ['base'] }),
    desired('base', { dependsOn: ['root'] }),
    desired('root', { owner: USER_B }),
    desired('other', { owner: USER_B }),
  ];
  const removed = record('gone', 'g1');

  it('plans the named keys and their transitive dependencies only', () => {
    const p = plan(keys, snapshot([live('g1')]), state([removed]), options({ targets: ['app'] }));
    expect(p.changes.map((c) => c.name)).toEqual(['app', 'base', 'root']);
  });

  it('deletes an undeclared record only when it is named', () => {
    const p = plan(keys, snapshot([live('g1')]), state([removed]), options({ targets: ['gone'] }));
    expect(p.changes.map((c) => [c.name, c.action])).toEqual([['gone', 'delete']]);
  });

  it('warns about unknown targets and --rotate outside the targets', () => {
    const p = plan(keys, snapshot(), state(), options({ targets: ['root', 'nope'], rotate: ['app'] }));
    expect(p.diagnostics.map((d) => d.code)).toEqual(['KP_PLAN_W0003', 'KP_PLAN_W0005', 'KP_PLAN_W0010']);
  });
});

describe('plan: interrupted creates in another scope', () => {
  it('deletes a leftover key in its own scope when its address already has a change under another owner', () => {
    const p = plan([desired('ci', { owner: USER_B })], snapshot([live('aa'), live('xx')]), state([record('ci', 'aa')], [createIntent('ci', 'xx')]), options());
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ action: 'rotate', owner: USER_B });
    expect(p.changes[0]?.deletes).toEqual([
      { provider: 'oci', kind: 'oci.api_key', owner: USER_A, id: 'aa' },
      { provider: 'oci', kind: 'oci.api_key', owner: USER_A, id: 'xx' },
    ]);
    expect(p.diagnostics).toEqual([]);
    expect(p.unmanaged).toEqual([]);
  });

  it('targets a name only a create intent knows', () => {
    const p = plan([], snapshot([live('xx')]), state([], [createIntent('lost', 'xx')]), options({ targets: ['lost'] }));
    expect(p.changes.map((c) => [c.address, c.reason])).toEqual([['oci.api_key.lost', 'interrupted_create']]);
    // Only the warning every targeted plan carries.
    expect(p.diagnostics.map((d) => d.code)).toEqual(['KP_PLAN_W0010']);
  });

  it('warns about a target only intents that claim no key know, as about any unknown name', () => {
    // Before, every journalled name was a valid target, even one the plan could do nothing for.
    const intents = [createIntent('gone', 'g1'), { ...createIntent('deleted', 'd1'), operation: 'delete' as const }, createIntent('taken', 'aa')];
    const p = plan([], snapshot([live('d1'), live('aa')]), state([record('kept', 'aa')], intents), options({ targets: ['gone', 'deleted', 'taken'] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['KP_PLAN_W0003', '--target deleted: no key of that name is declared in keys.yaml or recorded in state'],
      ['KP_PLAN_W0003', '--target gone: no key of that name is declared in keys.yaml or recorded in state'],
      ['KP_PLAN_W0003', '--target taken: no key of that name is declared in keys.yaml or recorded in state'],
      ['KP_PLAN_W0010', expect.stringContaining('Resource targeting is in effect: this plan covers only deleted, gone, taken')],
    ]);
  });
});

describe('plan: rotations in progress', () => {
  it('lists a live retiring key that is not yet due, with its retire time, and makes no change of it', () => {
    const p = plan([desired('ci')], snapshot([live('aa'), live('old')]), state([record('ci', 'aa', { retiring: [retiring('old', 5)] })]), options());
    expect(p.changes).toEqual([]);
    expect(p.pending).toEqual([{ address: 'oci.api_key.ci', name: 'ci', kind: 'oci.api_key', id: 'old', retireAfter: retiring('old', 5).retireAfter }]);
  });

  it('leaves out due, vanished and undeclared ones', () => {
    const records = [record('ci', 'aa', { retiring: [retiring('due', -1), retiring('gone', 5)] }), record('removed', 'bb', { retiring: [retiring('r', 5)] })];
    const p = plan([desired('ci')], snapshot([live('aa'), live('due'), live('bb'), live('r')]), state(records), options());
    expect(p.pending).toEqual([]);
  });
});
