import { describe, expect, it } from 'vitest';
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
