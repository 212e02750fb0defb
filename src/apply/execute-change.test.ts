/**
 * executeChange over the fake provider, with changes the planner made: each change leaves
 * the cloud, the outputs and state as the plan said, with state written after every phase
 * in an order an interruption can continue from.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '../model/plan.js';
import { FakeCloud, fakeTokenKey, type FakeTokenKeyInput } from '../providers/fake/index.js';
import { executeChange } from './execute-change.js';
import { APPLY_NOW, applyFixture, planFake, type ApplyFixture, type PlanFakeOptions } from '../../test/helpers/apply-fixtures.js';
import { tempDir } from '../../test/helpers/cli.js';

const OWNER = 'team-a';
const DAY = 86_400_000;
const declare = (over: Partial<FakeTokenKeyInput> = {}) =>
  fakeTokenKey({ name: 'ci', owner: OWNER, outputs: [{ type: 'file', path: 'out/ci.token' }], ...over });

interface World {
  readonly cloud: FakeCloud;
  readonly fixture: ApplyFixture;
  readonly outputFile: string;
  /** Plans the declared keys and runs every change in order; returns the changes. */
  readonly converge: (options?: PlanFakeOptions) => Promise<readonly PlannedChange[]>;
}

async function world(keys = [declare()]): Promise<World> {
  const cloud = new FakeCloud();
  const dir = tempDir('keyplan-execute-change-');
  const fixture = await applyFixture(cloud, { keys, baseDir: dir });
  const outputFile = path.join(dir, 'out/ci.token');
  fixture.store.probe = () => (existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '');
  const converge = async (options: PlanFakeOptions = {}) => {
    const p = await planFake(fixture, fixture.ctx.config.keys, [OWNER], options);
    expect(p.errored).toBe(false);
    for (const change of p.changes) await executeChange(fixture.ctx, change);
    return p.changes;
  };
  return { cloud, fixture, outputFile, converge };
}

/** Per state write: what the cloud held, which intents were open, what state recorded for `ci`, what the output held. */
function timeline(w: World, from = 0) {
  return w.fixture.store.writes.slice(from).map((x) => ({
    cloud: x.cloudIds,
    intents: x.state.intents.map((i) => `${i.operation} ${i.liveId ?? '?'}`),
    ci: x.state.keys['ci'] === undefined ? null : [x.state.keys['ci'].current.id, ...x.state.keys['ci'].retiring.map((r) => `retiring ${r.id}`)],
    output: x.probed,
  }));
}

describe('executeChange', () => {
  it('creates a key: journal, then the key recorded after its secret reached the output', async () => {
    const w = await world();
    const changes = await w.converge();
    expect(changes.map((c) => c.action)).toEqual(['create']);
    const [id] = w.cloud.keys().map((k) => k.id);
    const [secret] = w.cloud.issuedSecrets;
    expect(timeline(w)).toEqual([
      { cloud: [], intents: [`create ${id}`], ci: null, output: '' },
      { cloud: [id], intents: [], ci: [id], output: secret },
    ]);
    expect(await w.converge()).toEqual([]);
  });

  it('rotates new key first: creates, delivers, records the old key as retiring, then deletes it', async () => {
    const w = await world();
    await w.converge();
    const [old] = w.cloud.keys().map((k) => k.id);
    const start = w.fixture.store.writes.length;
    expect((await w.converge({ rotate: ['ci'] })).map((c) => [c.action, c.order])).toEqual([['rotate', 'create_before_delete']]);
    const fresh = w.cloud
      .keys()
      .map((k) => k.id)
      .find((id) => id !== old);
    const secret = w.cloud.issuedSecrets[1];
    expect(timeline(w, start)).toEqual([
      { cloud: [old], intents: [`create ${fresh}`], ci: [old], output: w.cloud.issuedSecrets[0] },
      { cloud: [old, fresh], intents: [], ci: [fresh, `retiring ${old}`], output: secret },
      { cloud: [old, fresh], intents: [`delete ${old}`], ci: [fresh, `retiring ${old}`], output: secret },
      { cloud: [fresh], intents: [], ci: [fresh], output: secret },
    ]);
  });

  it('keeps the old key through its overlap, and the retire change deletes it once the overlap is over', async () => {
    const w = await world([{ ...declare(), rotation: { overlapMs: DAY, requireOverlap: false } }]);
    await w.converge();
    const [old] = w.cloud.keys().map((k) => k.id);
    await w.converge({ rotate: ['ci'] });
    const record = w.fixture.state().keys['ci'];
    expect(record?.retiring).toEqual([expect.objectContaining({ id: old, retireAfter: new Date(APPLY_NOW + DAY).toISOString() })]);
    expect(w.cloud.keys()).toHaveLength(2);

    expect(await w.converge({ now: APPLY_NOW + DAY / 2 })).toEqual([]);
    const retire = await w.converge({ now: APPLY_NOW + DAY + 1 });
    expect(retire.map((c) => [c.action, c.deletes.map((d) => d.id)])).toEqual([['retire', [old]]]);
    expect(w.cloud.keys().map((k) => k.id)).toEqual([record?.current.id]);
    expect(w.fixture.state().keys['ci']).toMatchObject({ current: { id: record?.current.id }, retiring: [] });
  });

  it('rotates old key first where the kind requires it: the record goes with the old key, the new one is recorded after', async () => {
    const w = await world();
    await w.converge();
    const [old] = w.cloud.keys().map((k) => k.id);
    const start = w.fixture.store.writes.length;
    const spec = { rotationOrder: 'delete_before_create' } as const;
    expect((await w.converge({ rotate: ['ci'], spec })).map((c) => c.order)).toEqual(['delete_before_create']);
    const [fresh] = w.cloud.keys().map((k) => k.id);
    expect(timeline(w, start)).toEqual([
      { cloud: [old], intents: [`delete ${old}`], ci: [old], output: w.cloud.issuedSecrets[0] },
      { cloud: [], intents: [], ci: null, output: w.cloud.issuedSecrets[0] },
      { cloud: [], intents: [`create ${fresh}`], ci: null, output: w.cloud.issuedSecrets[0] },
      { cloud: [fresh], intents: [], ci: [fresh], output: w.cloud.issuedSecrets[1] },
    ]);
  });

  it('deletes a key removed from the config: retiring keys first, so the record never loses its current key early', async () => {
    const w = await world([{ ...declare(), rotation: { overlapMs: DAY, requireOverlap: false } }]);
    await w.converge();
    await w.converge({ rotate: ['ci'] });
    const [old, current] = w.cloud.keys().map((k) => k.id);
    const start = w.fixture.store.writes.length;
    const p = await planFake(w.fixture, [], [OWNER]);
    expect(p.changes.map((c) => [c.action, c.reason])).toEqual([['delete', 'removed_from_config']]);
    await executeChange(w.fixture.ctx, p.changes[0] as PlannedChange);
    expect(timeline(w, start).map(({ cloud, intents, ci }) => ({ cloud, intents, ci }))).toEqual([
      { cloud: [old, current], intents: [`delete ${old}`], ci: [current, `retiring ${old}`] },
      { cloud: [current], intents: [], ci: [current] },
      { cloud: [current], intents: [`delete ${current}`], ci: [current] },
      { cloud: [], intents: [], ci: null },
    ]);
  });

  it('records the delete of a key that vanished between plan and apply as done', async () => {
    const w = await world();
    await w.converge();
    const [id] = w.cloud.keys().map((k) => k.id);
    const p = await planFake(w.fixture, [], [OWNER]);
    await w.cloud.delete(OWNER, id as string);
    await executeChange(w.fixture.ctx, p.changes[0] as PlannedChange);
    expect(w.fixture.state()).toMatchObject({ keys: {}, intents: [] });
  });

  it('updates a label in place and records the new value, keeping the key', async () => {
    const w = await world();
    await w.converge();
    const [id] = w.cloud.keys().map((k) => k.id);
    const relabelled = [declare({ label: 'deploy' })];
    const p = await planFake(w.fixture, relabelled, [OWNER]);
    expect(p.changes.map((c) => c.action)).toEqual(['update']);
    // The step reads the declaration from the config the plan was made from.
    const ctx = { ...w.fixture.ctx, config: { ...w.fixture.ctx.config, keys: relabelled } };
    await executeChange(ctx, p.changes[0] as PlannedChange);
    expect(w.cloud.keys()).toEqual([expect.objectContaining({ id, attributes: expect.objectContaining({ label: 'deploy' }) })]);
    expect(w.fixture.state().keys['ci']?.current).toMatchObject({ id, attributes: { label: 'deploy' } });
  });

  it('finishes an interrupted create: deletes the unrecorded key, forgets its intent in the same write, and creates a new one', async () => {
    const w = await world();
    w.cloud.failNext('create', { when: 'after-mutation-crash' });
    await expect(w.converge()).rejects.toThrow('the answer was lost');
    const [orphan] = w.cloud.keys().map((k) => k.id);
    const start = w.fixture.store.writes.length;
    const changes = await w.converge();
    expect(changes.map((c) => [c.action, c.deletes.map((d) => d.id)])).toEqual([['create', [orphan]]]);
    const [fresh] = w.cloud.keys().map((k) => k.id);
    expect(fresh).not.toBe(orphan);
    expect(timeline(w, start).map(({ cloud, intents, ci }) => ({ cloud, intents, ci }))).toEqual([
      { cloud: [orphan], intents: [`create ${orphan}`, `delete ${orphan}`], ci: null },
      { cloud: [], intents: [], ci: null },
      { cloud: [], intents: [`create ${fresh}`], ci: null },
      { cloud: [fresh], intents: [], ci: [fresh] },
    ]);
  });

  it('leaves state as the last finished phase when a rotation fails to delete the old key', async () => {
    const w = await world();
    await w.converge();
    const [old] = w.cloud.keys().map((k) => k.id);
    w.cloud.failNext('delete');
    await expect(w.converge({ rotate: ['ci'] })).rejects.toThrow('fake: delete: request refused (injected)');
    const fresh = w.cloud
      .keys()
      .map((k) => k.id)
      .find((id) => id !== old);
    expect(w.fixture.state().keys['ci']).toMatchObject({ current: { id: fresh }, retiring: [{ id: old }] });
    // The next plan retires the old key, which is overdue; it does not rotate again.
    const next = await planFake(w.fixture, w.fixture.ctx.config.keys, [OWNER]);
    expect(next.changes.map((c) => [c.action, c.deletes.map((d) => d.id)])).toEqual([['retire', [old]]]);
  });
});
