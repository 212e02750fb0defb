/**
 * The fake provider keeps the spec in its index.ts header: paging, journal-first create,
 * all-or-nothing, missing deletes, in-place label updates, the quota, and every kind of
 * injected failure.
 */
import { describe, expect, it } from 'vitest';
import { InternalError, ProviderError } from '../../errors/errors.js';
import { configuredFakeAdapter, createFakeProvider, FakeAdapter, FakeCloud, fakeTokenKey, validateFake } from './index.js';

const KIND = 'fake.token';
const noJournal = async (): Promise<void> => undefined;

async function setup(options: { pageSize?: number } = {}) {
  const cloud = new FakeCloud();
  const adapter = await configuredFakeAdapter(cloud, options);
  const create = (name: string, owner = 'alice', label = '') =>
    adapter.create({ key: fakeTokenKey({ name, owner, label }), passphrase: null, token: `t-${name}`, recordIntent: noJournal });
  return { cloud, adapter, create };
}

describe('fake adapter: list', () => {
  it('reads every page, two keys at a time, sorted by id and with the marker', async () => {
    const { cloud, adapter, create } = await setup();
    for (const n of ['a', 'b', 'c', 'd', 'e']) await create(n);
    await create('other', 'bob');
    const before = cloud.calls.list;
    const { keys } = await adapter.list({ kind: KIND, owner: 'alice' });
    expect(cloud.calls.list - before).toBe(3);
    expect(keys.map((k) => k.marker)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(keys.map((k) => k.id)).toEqual([...keys.map((k) => k.id)].sort());
    expect(keys[0]).toMatchObject({
      provider: 'fake',
      kind: KIND,
      owner: 'alice',
      status: 'active',
      attributes: { owner_name: 'alice', label: '', token_id: keys[0]?.id },
    });
  });

  it('honours the block page_size', async () => {
    const { cloud, adapter, create } = await setup({ pageSize: 10 });
    for (const n of ['a', 'b', 'c']) await create(n);
    await adapter.list({ kind: KIND, owner: 'alice' });
    expect(cloud.calls.list).toBe(1);
  });

  it('fails the whole listing when a later page fails', async () => {
    const { cloud, adapter, create } = await setup();
    for (const n of ['a', 'b', 'c']) await create(n);
    cloud.failNext('list', { skip: 1, error: 'transient' });
    const err = await adapter.list({ kind: KIND, owner: 'alice' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ operation: 'list', retryable: true, statusCode: 503 });
    expect((await adapter.list({ kind: KIND, owner: 'alice' })).keys).toHaveLength(3);
  });

  it('returns no secret, and the secret reaches only the material', async () => {
    const { cloud, adapter, create } = await setup();
    const res = await create('a');
    const [secret] = cloud.issuedSecrets;
    expect(res.material.file.reveal()).toBe(secret);
    expect(res.material.secrets['token']?.reveal()).toBe(secret);
    expect(res.material.values).toEqual({ token_id: res.live.id, owner_name: 'alice', label: '' });
    const listed = JSON.stringify(await adapter.list({ kind: KIND, owner: 'alice' }));
    expect(`${listed}${JSON.stringify(res)}`).not.toContain(String(secret));
  });
});

describe('fake adapter: create', () => {
  it('journals the reserved id before the cloud holds the key, even when the journal is slow', async () => {
    const { cloud, adapter } = await setup();
    const seen: { id: string | undefined; held: number }[] = [];
    const res = await adapter.create({
      key: fakeTokenKey({ name: 'ci', owner: 'alice' }),
      passphrase: null,
      token: 't',
      recordIntent: async (id) => {
        await new Promise((r) => setTimeout(r, 20));
        seen.push({ id, held: cloud.keys('alice').length });
      },
    });
    expect(seen).toEqual([{ id: res.live.id, held: 0 }]);
    expect(cloud.keys('alice').map((k) => k.id)).toEqual([res.live.id]);
  });

  it('does not call the cloud when the journal fails', async () => {
    const { cloud, adapter } = await setup();
    const req = {
      key: fakeTokenKey({ name: 'ci', owner: 'alice' }),
      passphrase: null,
      token: 't',
      recordIntent: async () => Promise.reject(new Error('disk full')),
    };
    await expect(adapter.create(req)).rejects.toThrow('disk full');
    expect(cloud.calls.create).toBe(0);
  });

  it('leaves nothing behind when the create fails before or after the cloud acted', async () => {
    const { cloud, create } = await setup();
    cloud.failNext('create', { error: 'fatal' });
    await expect(create('a')).rejects.toMatchObject({ operation: 'create', retryable: false, statusCode: 400 });
    cloud.failNext('create', { when: 'after-mutation-lost-answer', error: 'transient' });
    await expect(create('b')).rejects.toMatchObject({ operation: 'create', retryable: true, statusCode: 504 });
    expect(cloud.keys()).toEqual([]);
    expect(cloud.calls).toMatchObject({ create: 2, delete: 1 });
  });

  it('leaves the key behind on an injected crash, as a run that died would', async () => {
    const { cloud, create } = await setup();
    cloud.failNext('create', { when: 'after-mutation-crash' });
    await expect(create('a')).rejects.toBeInstanceOf(ProviderError);
    expect(cloud.keys().map((k) => k.marker)).toEqual(['a']);
  });

  it('refuses a sixth token of one owner and a label the owner already uses', async () => {
    const { cloud, create } = await setup();
    await create('labelled', 'bob', 'ci');
    await expect(create('again', 'bob', 'ci')).rejects.toMatchObject({ serviceCode: 'LabelTaken', retryable: false });
    for (const n of ['a', 'b', 'c', 'd', 'e']) await create(n);
    await expect(create('f')).rejects.toMatchObject({ serviceCode: 'QuotaExceeded', statusCode: 409 });
    expect(cloud.keys('alice')).toHaveLength(5);
    expect(cloud.keys('bob')).toHaveLength(1);
  });

  it('stops during the latency when aborted, leaving no key', async () => {
    const { cloud, adapter } = await setup();
    cloud.latencyMs = 50;
    const controller = new AbortController();
    const pending = adapter.create({
      key: fakeTokenKey({ name: 'a', owner: 'alice' }),
      passphrase: null,
      token: 't',
      recordIntent: noJournal,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('interrupted')), 5);
    await expect(pending).rejects.toThrow('interrupted');
    expect(cloud.keys()).toEqual([]);
  });
});

describe('fake adapter: delete and update', () => {
  it('deletes after journalling; a missing token counts as deleted', async () => {
    const { cloud, adapter, create } = await setup();
    const { live } = await create('a');
    const order: string[] = [];
    const recordIntent = async (): Promise<void> => void order.push(`journal:${cloud.keys().length}`);
    await adapter.delete({ kind: KIND, owner: 'alice', id: live.id, recordIntent });
    await adapter.delete({ kind: KIND, owner: 'alice', id: live.id, recordIntent });
    expect(order).toEqual(['journal:1', 'journal:0']);
    expect(cloud.keys()).toEqual([]);
  });

  it('keeps the key when the delete fails before, and removes it on a lost answer', async () => {
    const { cloud, adapter, create } = await setup();
    const { live } = await create('a');
    const req = { kind: KIND, owner: 'alice', id: live.id, recordIntent: noJournal };
    cloud.failNext('delete');
    await expect(adapter.delete(req)).rejects.toMatchObject({ operation: 'delete' });
    expect(cloud.keys()).toHaveLength(1);
    cloud.failNext('delete', { when: 'after-mutation-lost-answer', error: 'transient' });
    await expect(adapter.delete(req)).rejects.toMatchObject({ retryable: true });
    expect(cloud.keys()).toEqual([]);
  });

  it('changes the label in place and refuses other attributes as a bug', async () => {
    const { cloud, adapter, create } = await setup();
    const { live } = await create('a');
    const key = fakeTokenKey({ name: 'a', owner: 'alice', label: 'new' });
    const res = await adapter.update({ key, live, changes: { label: 'new' } });
    expect(res.live).toMatchObject({ id: live.id, attributes: { label: 'new', owner_name: 'alice' } });
    expect(cloud.keys()[0]?.attributes['label']).toBe('new');
    await expect(adapter.update({ key, live, changes: { owner_name: 'bob' } })).rejects.toBeInstanceOf(InternalError);
    await adapter.delete({ kind: KIND, owner: 'alice', id: live.id, recordIntent: noJournal });
    await expect(adapter.update({ key, live, changes: { label: 'x' } })).rejects.toMatchObject({ statusCode: 404, retryable: false });
  });

  it('refuses use before configure, and kinds it does not have', async () => {
    const unconfigured = new FakeAdapter(new FakeCloud());
    await expect(unconfigured.list({ kind: KIND, owner: 'a' })).rejects.toThrow(/configured before use/);
    const { adapter } = await setup();
    await expect(adapter.list({ kind: 'oci.api_key', owner: 'a' })).rejects.toThrow(/Expected kind fake.token/);
  });
});

describe('fake provider module', () => {
  it('maps an entry, makes adapters on the shared cloud and checks labels offline', async () => {
    const cloud = new FakeCloud();
    const made: FakeAdapter[] = [];
    const mod = createFakeProvider(cloud, { onAdapter: (a) => made.push(a) });
    expect(mod.type).toBe('fake');
    const kind = mod.kinds[0];
    expect(kind?.spec).toMatchObject({ kind: KIND, providerType: 'fake', updatable: ['label'], replaceOn: ['owner_name'], quota: { perOwner: 5 } });
    expect(kind?.map({ name: 'a', kind: KIND, provider: 'fake', owner_name: 'alice' })).toEqual({
      owner: 'alice',
      attributes: { owner_name: 'alice', label: '' },
    });
    const adapter = await mod.createAdapter();
    expect(made).toEqual([adapter]);
    await adapter.configure({ block: { name: 'f', type: 'fake', settings: {} }, baseDir: '.', env: {} });
    await adapter.create({ key: fakeTokenKey({ name: 'a', owner: 'alice', provider: 'f' }), passphrase: null, token: 't', recordIntent: noJournal });
    expect(cloud.keys()).toHaveLength(1);
    const keys = [
      fakeTokenKey({ name: 'a', owner: 'o', label: 'x' }),
      fakeTokenKey({ name: 'b', owner: 'o', label: 'x' }),
      fakeTokenKey({ name: 'c', owner: 'p', label: 'x' }),
    ];
    expect(validateFake({ block: { name: 'f', type: 'fake', settings: {} }, keys })).toEqual([
      { severity: 'error', code: 'KP_FAKE_E0001', message: 'key "b": label "x" is already used by key "a" of owner "o"' },
    ]);
  });
});

describe('fake adapter: verify', () => {
  it('authenticates a new token after the rejections asked for, and never with `always`', async () => {
    const { cloud, adapter, create } = await setup();
    const { live, material } = await create('a');
    const req = { key: fakeTokenKey({ name: 'a', owner: 'alice' }), live, material, passphrase: null };
    cloud.rejectAuthentications(2);
    expect(await adapter.verify(req)).toEqual({ outcome: 'rejected', reason: `401 NotAuthenticated: token ${live.id} is not accepted yet` });
    expect((await adapter.verify(req)).outcome).toBe('rejected');
    expect(await adapter.verify(req)).toEqual({ outcome: 'authenticated' });
    cloud.rejectAuthentications('always');
    for (let i = 0; i < 5; i += 1) expect((await adapter.verify(req)).outcome).toBe('rejected');
    expect(cloud.calls.verify).toBe(8);
  });

  it("rejects another token's secret and a deleted token, and the reason holds no secret", async () => {
    const { adapter, create } = await setup();
    const a = await create('a');
    const b = await create('b');
    const key = fakeTokenKey({ name: 'a', owner: 'alice' });
    const wrong = await adapter.verify({ key, live: a.live, material: b.material, passphrase: null });
    expect(wrong).toEqual({ outcome: 'rejected', reason: `401 NotAuthenticated: wrong secret for token ${a.live.id}` });
    await adapter.delete({ kind: KIND, owner: 'alice', id: a.live.id, recordIntent: noJournal });
    const gone = await adapter.verify({ key, live: a.live, material: a.material, passphrase: null });
    expect(gone.outcome).toBe('rejected');
    expect(JSON.stringify([wrong, gone])).not.toContain(a.material.file.reveal());
    expect(JSON.stringify([wrong, gone])).not.toContain(b.material.file.reveal());
  });

  it('throws an injected transient failure as a retryable provider error', async () => {
    const { cloud, adapter, create } = await setup();
    const { live, material } = await create('a');
    cloud.failNext('verify', { error: 'transient' });
    const req = { key: fakeTokenKey({ name: 'a', owner: 'alice' }), live, material, passphrase: null };
    await expect(adapter.verify(req)).rejects.toMatchObject({ retryable: true, operation: 'verify' });
    expect(await adapter.verify(req)).toEqual({ outcome: 'authenticated' });
  });
});
