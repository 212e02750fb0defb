/**
 * The conformance suite for the fake adapter, and the suite's own test: each check must
 * fail against an adapter that breaks the promise it stands for, or it proves nothing.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../../model/desired.js';
import { CONFORMANCE_CHECKS, describeAdapterConformance, type ConformanceHarness } from '../conformance.js';
import type { CreateRequest, CreateResult, DeleteRequest, ListRequest, ListResult, ProviderAdapter } from '../contract.js';
import { configuredFakeAdapter, createFakeProvider, FakeAdapter, FakeCloud, fakeToken, fakeTokenKey } from './index.js';

let owners = 0;

/** An adapter made the way the engine makes one: the module's factory, then configure. */
async function fromModule(cloud: FakeCloud): Promise<ProviderAdapter> {
  const adapter = await createFakeProvider(cloud).createAdapter();
  await adapter.configure({ block: { name: 'fake', type: 'fake', settings: { page_size: 2 } }, baseDir: '.', env: {} });
  return adapter;
}

function fakeHarness(cloud: FakeCloud): ConformanceHarness {
  let names = 0;
  return {
    spec: fakeToken,
    adapter: () => fromModule(cloud),
    newKey: (same?: DesiredKey) => fakeTokenKey({ name: `k${names++}`, owner: same?.owner ?? `owner-${owners++}` }),
    truth: async (key) => cloud.keys(key.owner).map((k) => k.id),
    failingCreate: async () => {
      cloud.failNext('create', { error: 'transient' });
      return { struck: () => cloud.failuresLeft('create') === 0 };
    },
    loseCreateAnswer: async () => {
      cloud.failNext('create', { when: 'after-mutation-lost-answer', error: 'transient' });
      return { struck: () => cloud.failuresLeft('create') === 0 };
    },
    updateCase: (key) => ({ key: fakeTokenKey({ name: key.name, owner: key.owner, label: 'renamed' }), changes: { label: 'renamed' } }),
  };
}

describeAdapterConformance('fake.token', fakeHarness(new FakeCloud()));

/** A fake adapter with one promise broken, to see the check for it fail. */
class Broken extends FakeAdapter {
  constructor(
    cloud: FakeCloud,
    readonly flaw: 'journal-late' | 'journal-unawaited' | 'first-page-only' | 'leaks-secret' | 'delete-missing-throws' | 'wrong-intent-id',
  ) {
    super(cloud);
    this.cloud = cloud;
  }

  readonly cloud: FakeCloud;

  override async list(req: ListRequest): Promise<ListResult> {
    const all = await super.list(req);
    if (this.flaw === 'first-page-only') return { keys: all.keys.slice(0, this.cloud.pageSize) };
    if (this.flaw === 'leaks-secret')
      return { keys: all.keys.map((k, i) => ({ ...k, attributes: { ...k.attributes, token: this.cloud.issuedSecrets[i] ?? null } })) };
    return all;
  }

  override async create(req: CreateRequest): Promise<CreateResult> {
    if (this.flaw === 'journal-late') {
      let id: string | undefined;
      const res = await super.create({ ...req, recordIntent: async (liveId) => void (id = liveId) });
      await req.recordIntent(id);
      return res;
    }
    if (this.flaw === 'journal-unawaited') return super.create({ ...req, recordIntent: async (liveId, match) => void req.recordIntent(liveId, match) });
    if (this.flaw === 'wrong-intent-id') return super.create({ ...req, recordIntent: async () => req.recordIntent('ftk-999999') });
    return super.create(req);
  }

  override async delete(req: DeleteRequest): Promise<void> {
    if (this.flaw === 'delete-missing-throws' && !this.cloud.keys(req.owner).some((k) => k.id === req.id)) throw new Error('not found');
    return super.delete(req);
  }
}

async function brokenAdapter(cloud: FakeCloud, flaw: Broken['flaw']): Promise<ProviderAdapter> {
  const a = new Broken(cloud, flaw);
  await a.configure({ block: { name: 'fake', type: 'fake', settings: {} }, baseDir: '.', env: {} });
  return a;
}

function check(name: string) {
  const found = CONFORMANCE_CHECKS.find((c) => c.name.startsWith(name));
  if (found === undefined) throw new Error(`no check named ${name}`);
  return found;
}

describe('the conformance suite catches a broken adapter', () => {
  const cases: [Broken['flaw'], string, RegExp][] = [
    ['journal-late', 'awaits recordIntent', /the provider acted before recordIntent resolved|expected/],
    ['journal-unawaited', 'awaits recordIntent', /the provider acted before recordIntent resolved/],
    ['wrong-intent-id', 'awaits recordIntent', /expected 'ftk-999999' to be/],
    ['first-page-only', 'lists every key of a scope', /expected/],
    ['leaks-secret', 'returns no key material', /key material in a live record/],
    ['delete-missing-throws', 'succeeds deleting a key that is already gone', /not found/],
  ];
  for (const [flaw, name, message] of cases) {
    it(`${flaw}: "${name}" fails`, async () => {
      const cloud = new FakeCloud();
      const h = fakeHarness(cloud);
      await expect(check(name).run(h, await brokenAdapter(cloud, flaw))).rejects.toThrow(message);
      // And the same check passes against the faithful adapter on the same cloud.
      await check(name).run(h, await configuredFakeAdapter(cloud));
    });
  }

  it('an adapter that leaves a key behind after a failed create fails "leaves no key" and "survives a lost create answer"', async () => {
    const cloud = new FakeCloud();
    const crash = async () => {
      cloud.failNext('create', { when: 'after-mutation-crash' });
      return undefined;
    };
    const h: ConformanceHarness = { ...fakeHarness(cloud), failingCreate: crash, loseCreateAnswer: crash };
    await expect(check('leaves no key').run(h, await configuredFakeAdapter(cloud))).rejects.toThrow(/expected \[.*'ftk-/s);
    await expect(check('survives a lost create answer').run(h, await configuredFakeAdapter(cloud))).rejects.toThrow(/yet left a key/);
  });
});
