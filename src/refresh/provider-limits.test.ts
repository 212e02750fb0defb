/**
 * max_concurrency and requests_per_second as a user sets them in keys.yaml, through the
 * engine: refresh never has more list calls of a block in flight than its max_concurrency
 * nor starts more per second than its requests_per_second, blocks are read side by side,
 * and apply runs another block's change while one block's slow changes queue for its
 * single slot. Two blocks of the in-memory fake provider stand in for two vendors; in-flight
 * calls are counted, and the clock is vitest's, so no assertion depends on timing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { Workspace } from '../engine.js';
import type { ProviderAdapter } from '../providers/contract.js';
import { createFakeProvider, FakeCloud } from '../providers/fake/index.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from '../providers/registry.js';
import { silentReporter } from '../report/reporter.js';

/** What the adapters of each block saw: calls started (with the clock), in flight now and at most. */
interface Calls {
  readonly started: { readonly block: string; readonly op: string; readonly name: string; readonly at: number }[];
  readonly inFlight: Map<string, number>;
  readonly peak: Map<string, number>;
  peakAll: number;
}

/**
 * The fake provider, its adapters instrumented: every call counts as in flight until it
 * settles, after `hold` (which may wait on a gate or yield a few turns of the event loop).
 */
function instrumented(hold: (block: string, op: string, name: string) => Promise<void>) {
  const calls: Calls = { started: [], inFlight: new Map(), peak: new Map(), peakAll: 0 };
  const fake = createFakeProvider(new FakeCloud({ perOwner: 100 }));
  const track = async <T>(block: string, op: string, name: string, call: () => Promise<T>): Promise<T> => {
    calls.started.push({ block, op, name, at: Date.now() });
    const now = (calls.inFlight.get(block) ?? 0) + 1;
    calls.inFlight.set(block, now);
    calls.peak.set(block, Math.max(calls.peak.get(block) ?? 0, now));
    calls.peakAll = Math.max(
      calls.peakAll,
      [...calls.inFlight.values()].reduce((a, b) => a + b, 0),
    );
    try {
      await hold(block, op, name);
      return await call();
    } finally {
      calls.inFlight.set(block, (calls.inFlight.get(block) ?? 1) - 1);
    }
  };
  const module = {
    ...fake,
    createAdapter: async (): Promise<ProviderAdapter> => {
      const inner = await fake.createAdapter();
      let block = '';
      return {
        ...inner,
        configure: async (req) => {
          block = req.block.name;
          await inner.configure(req);
        },
        list: (req) => track(block, 'list', req.owner, () => inner.list(req)),
        create: (req) => track(block, 'create', req.key.name, () => inner.create(req)),
        delete: (req) => inner.delete(req),
        close: () => inner.close(),
      };
    },
  };
  return { calls, providers: new ProviderRegistry([...SHIPPED_PROVIDERS, module]) };
}

/** A workspace on keys.yaml with blocks `slow` and `quick` (their settings given) and `count` keys of each, one owner per key. */
async function workspace(providers: ProviderRegistry, blocks: { slow: string; quick: string }, count: { slow: number; quick: number }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-limits-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // slow's keys sort first, so its changes are the first the apply walks.
  const key = (block: string, i: number) => [
    `  - name: ${block === 'slow' ? 'a' : 'b'}-${block}-${i}`,
    '    kind: fake.token',
    `    provider: ${block}`,
    `    owner_name: ${block}-owner-${i}`,
    `    outputs: [{ type: file, path: out/${block}-${i}.token }]`,
  ];
  const lines = [
    'version: 1',
    'providers:',
    `  slow: { type: fake${blocks.slow} }`,
    `  quick: { type: fake${blocks.quick} }`,
    'keys:',
    ...Array.from({ length: count.slow }, (_, i) => key('slow', i)).flat(),
    ...Array.from({ length: count.quick }, (_, i) => key('quick', i)).flat(),
  ];
  writeFileSync(path.join(dir, 'keys.yaml'), `${lines.join('\n')}\n`);
  const ws = await Workspace.open(path.join(dir, 'keys.yaml'), { env: {}, reporter: silentReporter, providers }, { checkEnv: false });
  onTestFinished(() => ws.close());
  return ws;
}

/** Yields a few turns of the event loop: long enough for every call that could start to start. */
const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('refresh with max_concurrency', () => {
  it('never has more list calls of a block in flight than its max_concurrency, and reads the blocks side by side', async () => {
    const { calls, providers } = instrumented(() => turns());
    const ws = await workspace(providers, { slow: ', max_concurrency: 2', quick: ', max_concurrency: 3' }, { slow: 6, quick: 6 });
    const { plan } = await ws.planLocked();
    expect(plan.changes.map((c) => c.action)).toEqual(Array(12).fill('create'));
    expect(calls.started.filter((c) => c.op === 'list')).toHaveLength(12);
    expect(Object.fromEntries(calls.peak)).toEqual({ slow: 2, quick: 3 });
    // Both blocks at their caps at once: one block's calls do not wait for the other's.
    expect(calls.peakAll).toBe(5);
  });
});

describe('refresh with requests_per_second', () => {
  afterEach(() => void vi.useRealTimers());

  it('starts at most requests_per_second list calls of a block in any second', async () => {
    const { calls, providers } = instrumented(async () => undefined);
    const ws = await workspace(providers, { slow: ', requests_per_second: 4, max_concurrency: 10', quick: '' }, { slow: 10, quick: 3 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let done = false;
    const planning = ws.planLocked().finally(() => (done = true));
    // The clock moves 100 ms per step; files are read in real time between steps.
    while (!done) {
      await vi.advanceTimersByTimeAsync(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await planning;
    const lists = calls.started.filter((c) => c.op === 'list');
    const t0 = Math.min(...lists.map((c) => c.at));
    const slow = lists.filter((c) => c.block === 'slow').map((c) => c.at - t0);
    expect(slow).toHaveLength(10);
    // Sliding windows: whatever second one looks at, at most 4 calls started in it.
    for (const at of slow) expect(slow.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(4);
    // 10 calls at 4 a second: the last starts 2 s after the first, not with it.
    expect(Math.max(...slow)).toBeGreaterThanOrEqual(2000);
    // The block without a rate limit was read at once.
    expect(lists.filter((c) => c.block === 'quick').map((c) => c.at - t0)).toEqual([0, 0, 0]);
  });
});

describe('apply with max_concurrency', () => {
  it("starts another block's change while one block's slow changes wait for its single slot", async () => {
    // slow's creates wait until quick's create ran: order, not timing. If slow's queued
    // changes held the global slots (--parallelism 2), quick's would never start and the
    // run would never finish.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { calls, providers } = instrumented(async (block, op) => {
      if (op !== 'create') return;
      if (block === 'slow') await gate;
      else release();
    });
    const ws = await workspace(providers, { slow: ', max_concurrency: 1', quick: '' }, { slow: 4, quick: 1 });
    const outcome = await ws.planAndApply({}, {}, { parallelism: 2 });
    expect(outcome.kind === 'applied' ? outcome.result.counts : outcome.kind).toMatchObject({ created: 5, failed: 0, skipped: 0 });
    const creates = calls.started.filter((c) => c.op === 'create').map((c) => c.name);
    expect(creates.slice(0, 2)).toEqual(['a-slow-0', 'b-quick-0']);
    expect(creates.sort()).toEqual(['a-slow-0', 'a-slow-1', 'a-slow-2', 'a-slow-3', 'b-quick-0']);
    expect(calls.peak.get('slow')).toBe(1);
  });
});
