import { describe, expect, it } from 'vitest';
import { InternalError, ProviderError } from '../errors/errors.js';
import { configuredFakeAdapter, FakeCloud, fakeTokenKey } from '../providers/fake/index.js';
import { checkGraph, runDag, type DagNode } from './dag.js';

const node = (id: string, dependsOn: string[] = [], group = 'p'): DagNode => ({ id, dependsOn, group });

describe('runDag', () => {
  it('runs dependencies before dependents', async () => {
    const order: string[] = [];
    const nodes = [node('c', ['b']), node('b', ['a']), node('a')];
    const out = await runDag(nodes, async (n) => void order.push(n.id));
    expect(order).toEqual(['a', 'b', 'c']);
    expect([...out.values()].every((o) => o.outcome === 'succeeded')).toBe(true);
  });

  it('skips the dependents of a failed step and keeps independent branches going', async () => {
    const ran: string[] = [];
    const nodes = [node('a'), node('b', ['a']), node('c', ['b']), node('x')];
    const out = await runDag(nodes, async (n) => {
      ran.push(n.id);
      if (n.id === 'a') throw new Error('boom');
    });
    expect(out.get('a')?.outcome).toBe('failed');
    expect(out.get('b')).toEqual({ outcome: 'skipped', because: 'a' });
    expect(out.get('c')).toEqual({ outcome: 'skipped', because: 'b' });
    expect(out.get('x')?.outcome).toBe('succeeded');
    expect(ran.sort()).toEqual(['a', 'x']);
  });

  it('bounds concurrency per group', async () => {
    let running = 0;
    let peak = 0;
    const nodes = Array.from({ length: 12 }, (_, i) => node(`n${i}`));
    await runDag(
      nodes,
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
      { concurrency: 10, groupConcurrency: 3 },
    );
    expect(peak).toBe(3);
  });

  it("starts a fast provider's step while a slow provider's steps wait for their own slots", async () => {
    // Slow steps block until the fast step releases them, so the check is about order, not
    // timing. With the global slot taken before the group slot this run never finishes.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    let fastRanWhileSlowBlocked = false;
    const slow = Array.from({ length: 10 }, (_, i) => node(`slow${i}`, [], 'slow'));
    const done = runDag(
      [...slow, node('fast', [], 'fast')],
      async (n) => {
        started.push(n.id);
        if (n.group === 'slow') return gate;
        fastRanWhileSlowBlocked = started.filter((id) => id.startsWith('slow')).length === 1;
        release();
      },
      { concurrency: 2, concurrencyOfGroup: (g) => (g === 'slow' ? 1 : 4) },
    );
    const out = await done;
    expect(fastRanWhileSlowBlocked).toBe(true);
    expect(started.slice(0, 2)).toEqual(['slow0', 'fast']);
    expect([...out.values()].every((o) => o.outcome === 'succeeded')).toBe(true);
  });

  it('rejects cycles and unknown dependencies', () => {
    expect(() => checkGraph([node('a', ['b']), node('b', ['a'])])).toThrow(/cycle between steps: a -> b -> a/);
    expect(() => checkGraph([node('a', ['zz'])])).toThrow(/dependency "zz"/);
  });
});

describe('runDag when stopped', () => {
  it('lets the running step finish and skips queued ones as interrupted', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const nodes = [node('a'), node('b'), node('c')];
    const out = await runDag(
      nodes,
      async (n) => {
        ran.push(n.id);
        controller.abort();
        await new Promise((r) => setTimeout(r, 5));
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(ran).toEqual(['a']);
    expect(out.get('a')?.outcome).toBe('succeeded');
    expect(out.get('b')).toEqual({ outcome: 'skipped', because: 'interrupted' });
    expect(out.get('c')).toEqual({ outcome: 'skipped', because: 'interrupted' });
  });
});

/**
 * The walker driving a provider: each node creates one token through the fake adapter,
 * so what ran (and what did not) is read from the fake cloud, not from the callback.
 */
describe('runDag creating keys through the fake provider', () => {
  /** A token per node; a node whose label the owner already holds fails at the cloud. */
  async function walk(nodes: readonly DagNode[], failing: readonly string[]) {
    const cloud = new FakeCloud({ pageSize: 2 });
    for (const id of failing) cloud.seed({ kind: 'fake.token', owner: 'team', attributes: { owner_name: 'team', label: `label-${id}` } });
    const adapter = await configuredFakeAdapter(cloud);
    const out = await runDag(nodes, async (n) => {
      const key = fakeTokenKey({ name: n.id, owner: 'team', label: `label-${n.id}` });
      await adapter.create({ key, passphrase: null, token: n.id, recordIntent: async () => undefined });
    });
    const created = cloud
      .keys('team')
      .flatMap((k) => (k.marker === undefined ? [] : [k.marker]))
      .sort();
    return { out, created };
  }

  it('skips every dependent of a failed create, reports only the one failure, and finishes the other branches', async () => {
    // a -> b -> c and a -> d fail with a; x -> y is independent.
    const nodes = [node('a'), node('b', ['a']), node('c', ['b']), node('d', ['a']), node('x'), node('y', ['x'])];
    const { out, created } = await walk(nodes, ['a']);
    expect(out.get('a')).toEqual({ outcome: 'failed', error: expect.any(ProviderError) });
    expect(out.get('b')).toEqual({ outcome: 'skipped', because: 'a' });
    expect(out.get('c')).toEqual({ outcome: 'skipped', because: 'b' });
    expect(out.get('d')).toEqual({ outcome: 'skipped', because: 'a' });
    expect([out.get('x'), out.get('y')]).toEqual([{ outcome: 'succeeded' }, { outcome: 'succeeded' }]);
    expect([...out.values()].filter((o) => o.outcome === 'failed')).toHaveLength(1);
    expect(created).toEqual(['x', 'y']);
  });

  it('skips a join whose one parent failed even though the other succeeded', async () => {
    const nodes = [node('root'), node('left', ['root']), node('right', ['root']), node('join', ['left', 'right'])];
    const { out, created } = await walk(nodes, ['right']);
    expect(out.get('left')).toEqual({ outcome: 'succeeded' });
    expect(out.get('right')?.outcome).toBe('failed');
    expect(out.get('join')).toEqual({ outcome: 'skipped', because: 'right' });
    expect(created).toEqual(['left', 'root']);
  });

  it('keeps a slow independent branch going after another branch failed', async () => {
    const nodes = [node('bad'), node('after-bad', ['bad']), node('slow-1', [], 'q'), node('slow-2', ['slow-1'], 'q')];
    const cloud = new FakeCloud();
    cloud.seed({ kind: 'fake.token', owner: 'team', attributes: { owner_name: 'team', label: 'label-bad' } });
    const adapter = await configuredFakeAdapter(cloud);
    const out = await runDag(nodes, async (n) => {
      if (n.group === 'q') await new Promise((r) => setTimeout(r, 20));
      await adapter.create({
        key: fakeTokenKey({ name: n.id, owner: 'team', label: `label-${n.id}` }),
        passphrase: null,
        token: n.id,
        recordIntent: async () => undefined,
      });
    });
    expect(out.get('bad')?.outcome).toBe('failed');
    expect(out.get('after-bad')).toEqual({ outcome: 'skipped', because: 'bad' });
    expect(out.get('slow-2')).toEqual({ outcome: 'succeeded' });
    expect(
      cloud
        .keys('team')
        .map((k) => k.marker)
        .filter((m) => m !== undefined)
        .sort(),
    ).toEqual(['slow-1', 'slow-2']);
  });

  it('never has more creates in flight than the overall cap, nor per provider than the group cap', async () => {
    const cloud = new FakeCloud({ latencyMs: 10, perOwner: 100 });
    const adapter = await configuredFakeAdapter(cloud);
    const groups = ['p1', 'p2', 'p3'];
    const nodes = Array.from({ length: 18 }, (_, i) => node(`n${i}`, [], groups[i % 3]));
    let running = 0;
    let peak = 0;
    const perGroup = new Map<string, { running: number; peak: number }>();
    const out = await runDag(
      nodes,
      async (n) => {
        const g = perGroup.get(n.group) ?? { running: 0, peak: 0 };
        perGroup.set(n.group, g);
        running++;
        g.running++;
        peak = Math.max(peak, running);
        g.peak = Math.max(g.peak, g.running);
        try {
          await adapter.create({ key: fakeTokenKey({ name: n.id, owner: n.group }), passphrase: null, token: n.id, recordIntent: async () => undefined });
        } finally {
          running--;
          g.running--;
        }
      },
      { concurrency: 5, groupConcurrency: 2 },
    );
    expect([...out.values()].every((o) => o.outcome === 'succeeded')).toBe(true);
    expect(cloud.calls.create).toBe(18);
    // 3 groups x 2 slots = 6 would fit; the overall cap of 5 holds them back.
    expect(peak).toBe(5);
    const groupPeaks = [...perGroup.values()].map((g) => g.peak);
    expect(Math.max(...groupPeaks)).toBe(2);
    expect(groupPeaks).toHaveLength(3);
  });

  it('rejects a cycle before any step calls the provider', async () => {
    const cloud = new FakeCloud();
    const adapter = await configuredFakeAdapter(cloud);
    const run = async (n: DagNode): Promise<void> => {
      await adapter.create({ key: fakeTokenKey({ name: n.id, owner: 'team' }), passphrase: null, token: n.id, recordIntent: async () => undefined });
    };
    const cycle = [node('free'), node('a', ['c']), node('b', ['a']), node('c', ['b'])];
    await expect(runDag(cycle, run)).rejects.toThrow(InternalError);
    await expect(runDag(cycle, run)).rejects.toThrow(/dependency cycle between steps: a -> c -> b -> a/);
    await expect(runDag([node('self', ['self'])], run)).rejects.toThrow(/cycle between steps: self -> self/);
    expect(cloud.calls.create).toBe(0);
    expect(cloud.keys()).toEqual([]);
  });
});
