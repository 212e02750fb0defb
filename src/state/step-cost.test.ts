/**
 * What one apply step costs the local backend as the number of keys grows: creates over
 * the fake provider against a state file in a temp folder. Each step appends one journal
 * line of the same size whatever the state holds, the state file is written once (the
 * fold at unlock), and the folded file holds every key.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../apply/applier.js';
import type { StepContext } from '../apply/context.js';
import type { KeyplanConfig } from '../model/desired.js';
import { plan } from '../plan/planner.js';
import { configuredFakeAdapter, createFakeProvider, FAKE_TOKEN_KIND, FakeCloud, fakeToken, fakeTokenKey } from '../providers/fake/index.js';
import { ProviderRegistry } from '../providers/registry.js';
import { silentReporter } from '../report/reporter.js';
import { APPLY_NOW, fakeSnapshot } from '../../test/helpers/apply-fixtures.js';
import { tempDir } from '../../test/helpers/cli.js';
import { LocalStateStore } from './local-store.js';
import { StateSession } from './state-session.js';

/** Applies `n` creates, one at a time, on a state file that exists; returns the store's I/O during the apply and at unlock. */
async function applyCreates(n: number) {
  const dir = tempDir('keyplan-step-cost-');
  const cloud = new FakeCloud();
  const adapter = await configuredFakeAdapter(cloud);
  const pad = (i: number): string => String(i).padStart(4, '0');
  const keys = Array.from({ length: n }, (_, i) =>
    fakeTokenKey({ name: `key-${pad(i)}`, owner: `owner-${pad(i)}`, outputs: [{ type: 'file', path: `out/key-${pad(i)}.token` }] }),
  );
  const store = new LocalStateStore(path.join(dir, 'state.json'));
  const lock = await store.lock('apply');
  const initial = await store.write(await store.read());
  const before = { ...store.writeStats };
  const config: KeyplanConfig = {
    file: 'keys.yaml',
    baseDir: dir,
    hash: '0'.repeat(64),
    state: { backend: 'local', path: 'state.json' },
    providers: { fake: { name: 'fake', type: 'fake', settings: {} } },
    keys,
  };
  let ids = 0;
  const ctx: StepContext = {
    config,
    providers: new ProviderRegistry([createFakeProvider(cloud)]),
    adapters: new Map([['fake', adapter]]),
    session: new StateSession(store, initial),
    env: {},
    reporter: silentReporter,
    now: () => APPLY_NOW,
    newId: () => `intent-${pad(++ids)}`,
  };
  const live = await fakeSnapshot(
    adapter,
    keys.map((k) => k.owner),
  );
  const planned = plan(keys, live, initial, { now: APPLY_NOW, kinds: { [FAKE_TOKEN_KIND]: fakeToken }, rotate: [], readableOutputs: [] });
  const result = await applyPlan(ctx, planned, { parallelism: 1, providerParallelism: 1 });
  const during = { writes: store.writeStats.writes - before.writes, appends: store.writeStats.appends, bytes: store.writeStats.appendBytes };
  await store.unlock(lock.id);
  const folded = await new LocalStateStore(store.path).read();
  return { result, during, foldWrites: store.writeStats.writes - before.writes - during.writes, folded, journalLeft: existsSync(store.stepsPath) };
}

describe('apply steps on the local backend', () => {
  it('append one journal line of the same size per step at 20 and at 80 keys, and write the state file once, at unlock', async () => {
    const small = await applyCreates(20);
    const large = await applyCreates(80);
    for (const [n, run] of [
      [20, small],
      [80, large],
    ] as const) {
      expect(run.result.counts.created).toBe(n);
      // A create is two steps: its intent, then its key with the intent gone.
      expect(run.during).toMatchObject({ writes: 0, appends: 2 * n });
      expect(run.foldWrites).toBe(1);
      expect(Object.keys(run.folded.keys)).toHaveLength(n);
      expect(run.folded.intents).toEqual([]);
      expect(run.journalLeft).toBe(false);
    }
    const perStep = (run: typeof small): number => run.during.bytes / run.during.appends;
    expect(perStep(large) / perStep(small)).toBeGreaterThan(0.98);
    expect(perStep(large) / perStep(small)).toBeLessThan(1.02);
  });
});
