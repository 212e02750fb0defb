import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as bds from 'oci-bds';
import type * as identity from 'oci-identity';
import { startOciEmulator, type OciEmulator } from '../index.js';
import { sdkError, testIdentityClient } from '../testing/sdk.js';
import { independentFingerprint, testKeyPairs, type TestKeyPair } from '../testing/keys.js';
import { fastWaiters, testBdsClient } from './test-client.js';

const freshUser = (): string => `ocid1.user.oc1..aaaaaaaa${randomBytes(20).toString('hex')}`;
const freshPassphrase = (): string => randomBytes(18).toString('base64');

/** The key id the way terraform finds it: strip `/<version>/` from entityUri, then parse. */
function keyIdOf(wr: bds.models.WorkRequest, bdsId: string): string {
  const res = wr.resources.find((r) => r.entityType.toLowerCase().includes('bds') && r.actionType === 'CREATED');
  const m = /^bdsInstances\/([^/]+)\/apiKeys\/([^/]+)$/.exec((res?.entityUri ?? '').replace(/^\/\d+\//, ''));
  expect(m?.[1]).toBe(bdsId);
  expect(res?.identifier).toBe(m?.[2]);
  return m?.[2] ?? '';
}

// The official oci-bds and oci-identity clients against one emulator endpoint.
describe('OCI BDS emulator through the official SDK', () => {
  let emu: OciEmulator;
  let client: bds.BdsClient;
  let iam: identity.IdentityClient;
  let waiters: bds.BdsWaiter;
  let pairs: TestKeyPair[];

  beforeAll(async () => {
    [emu, pairs] = await Promise.all([startOciEmulator({ autoCreateUsers: true }), testKeyPairs(2)]);
    client = testBdsClient(emu.admin, emu.url);
    iam = testIdentityClient(emu.admin, emu.url);
    waiters = fastWaiters(client);
  });
  afterAll(async () => {
    client.close();
    iam.close();
    await emu.close();
  });

  async function create(bdsInstanceId: string, userId: string, keyAlias: string, passphrase = freshPassphrase()): Promise<bds.models.WorkRequest> {
    const res = await client.createBdsApiKey({ bdsInstanceId, createBdsApiKeyDetails: { userId, passphrase, keyAlias } });
    expect(res.opcWorkRequestId).toMatch(/^ocid1\.bdsworkrequest\./);
    return (await waiters.forWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest;
  }
  const fingerprintsOf = async (userId: string): Promise<string[]> => (await iam.listApiKeys({ userId })).items.map((k) => String(k.fingerprint));

  it('creates a key through a SUCCEEDED work request naming it; ACTIVE, and its fingerprint is in ListApiKeys', async () => {
    const cluster = emu.addCluster();
    const user = freshUser();
    const passphrase = freshPassphrase();
    const wr = await create(cluster, user, 'etlJobs', passphrase);
    expect(wr).toMatchObject({ operationType: 'CREATE_API_KEY', status: 'SUCCEEDED', percentComplete: 100, compartmentId: emu.admin.tenancy });
    expect(String(wr.timeFinished)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const keyId = keyIdOf(wr, cluster);
    expect(wr.resources[0]?.entityUri).toBe(`/20190531/bdsInstances/${cluster}/apiKeys/${keyId}`);

    const got = await client.getBdsApiKey({ bdsInstanceId: cluster, apiKeyId: keyId });
    expect(got.bdsApiKey).toMatchObject({
      id: keyId,
      userId: user,
      keyAlias: 'etlJobs',
      lifecycleState: 'ACTIVE',
      tenantId: emu.admin.tenancy,
      defaultRegion: 'us-ashburn-1',
    });
    expect(got.bdsApiKey.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(got.bdsApiKey.pemfilepath).toMatch(/\.pem$/);
    expect(got.etag).toBeTruthy();
    expect(JSON.stringify(got.bdsApiKey)).not.toContain(passphrase);
    expect(got.bdsApiKey).not.toHaveProperty('passphrase');

    // §2.4: the same fingerprint is one of the user's IAM keys.
    expect(await fingerprintsOf(user)).toEqual([got.bdsApiKey.fingerprint]);
    const iamKey = (await iam.listApiKeys({ userId: user })).items[0];
    expect(independentFingerprint(String(iamKey?.keyValue))).toBe(got.bdsApiKey.fingerprint);

    const listed = await client.listBdsApiKeys({ bdsInstanceId: cluster });
    expect(listed.items).toHaveLength(1);
    expect(Object.keys(listed.items[0] ?? {}).sort()).toEqual(['defaultRegion', 'id', 'keyAlias', 'lifecycleState', 'timeCreated']);
    expect(listed.opcNextPage).toBeUndefined();
    expect(emu.listBdsKeys(cluster)).toEqual([
      { id: keyId, keyAlias: 'etlJobs', userId: user, fingerprint: got.bdsApiKey.fingerprint, lifecycleState: 'ACTIVE' },
    ]);
  });

  it('fails the work request of a 4th key for a user holding 2 IAM + 1 BDS keys, though the POST is accepted', async () => {
    const cluster = emu.addCluster();
    const user = freshUser();
    for (const p of pairs) await iam.uploadApiKey({ userId: user, createApiKeyDetails: { key: p.publicKeyPem } });
    const first = await create(cluster, user, 'one');
    expect(first.status).toBe('SUCCEEDED');
    const before = await fingerprintsOf(user);
    expect(before).toHaveLength(3);

    const fourth = await create(cluster, user, 'two');
    expect(fourth).toMatchObject({ status: 'FAILED', percentComplete: 100 });
    expect(fourth.timeFinished).toBeTruthy();
    expect(fourth.resources[0]?.actionType).toBe('FAILED');
    const errors = await client.listWorkRequestErrors({ workRequestId: fourth.id });
    expect(errors.items).toHaveLength(1);
    expect(errors.items[0]?.code).toBe('LimitExceeded');
    expect(errors.items[0]?.message).toContain(user);
    expect(errors.items[0]?.message).toContain('(3)');
    expect(String(errors.items[0]?.timestamp)).toMatch(/Z$/);
    // A failed create leaves nothing behind: no key, the alias free, the IAM keys unchanged.
    expect(emu.listBdsKeys(cluster).map((k) => k.keyAlias)).toEqual(['one']);
    expect(await fingerprintsOf(user)).toEqual(before);

    // The BDS key counts against Identity's limit too, and deleting it frees the slot.
    const extra = await testKeyPairs(1);
    const upload = (): Promise<unknown> => iam.uploadApiKey({ userId: user, createApiKeyDetails: { key: extra[0]?.publicKeyPem ?? '' } });
    expect((await sdkError(upload())).serviceCode).toBe('LimitExceeded');
    const del = await client.deleteBdsApiKey({ bdsInstanceId: cluster, apiKeyId: keyIdOf(first, cluster) });
    expect((await waiters.forWorkRequest({ workRequestId: del.opcWorkRequestId })).workRequest.status).toBe('SUCCEEDED');
    await upload();
    expect(await fingerprintsOf(user)).toHaveLength(3);
  });

  it('pages through 3 keys with limit=1 using URL-safe tokens, newest first by default', async () => {
    const cluster = emu.addCluster();
    const user = freshUser();
    for (const alias of ['alpha', 'bravo', 'charlie']) await create(cluster, alias === 'bravo' ? emu.admin.user : user, alias);

    const aliases: string[] = [];
    for await (const k of client.listBdsApiKeysRecordIterator({ bdsInstanceId: cluster, limit: 1 })) aliases.push(k.keyAlias);
    expect(aliases).toEqual(['charlie', 'bravo', 'alpha']);
    const pages = emu.requestLog.filter((e) => e.method === 'GET' && e.path.startsWith(`/20190531/bdsInstances/${cluster}/apiKeys?`));
    expect(pages).toHaveLength(3);
    expect(pages.slice(1).every((p) => /[?&]page=[A-Za-z0-9_-]+(&|$)/.test(p.path))).toBe(true);

    const firstPage = await client.listBdsApiKeys({ bdsInstanceId: cluster, limit: 2, sortBy: 'displayName' as bds.requests.ListBdsApiKeysRequest.SortBy });
    expect(firstPage.items.map((k) => k.keyAlias)).toEqual(['alpha', 'bravo']);
    expect(firstPage.opcNextPage).toMatch(/^[A-Za-z0-9_-]+$/);
    const last = await client.listBdsApiKeys({
      bdsInstanceId: cluster,
      limit: 2,
      sortBy: 'displayName' as bds.requests.ListBdsApiKeysRequest.SortBy,
      page: firstPage.opcNextPage,
    });
    expect([last.items.map((k) => k.keyAlias), last.opcNextPage]).toEqual([['charlie'], undefined]);
    // A token belongs to its listing: another sort order refuses it.
    const misuse = await sdkError(client.listBdsApiKeys({ bdsInstanceId: cluster, limit: 2, page: firstPage.opcNextPage }));
    expect([misuse.statusCode, misuse.serviceCode]).toEqual([400, 'InvalidParameter']);

    const byUser = await client.listBdsApiKeys({ bdsInstanceId: cluster, userId: user, sortOrder: 'ASC' as bds.models.SortOrders });
    expect(byUser.items.map((k) => k.keyAlias)).toEqual(['alpha', 'charlie']);
    expect((await client.listBdsApiKeys({ bdsInstanceId: cluster, displayName: 'bravo' })).items).toHaveLength(1);
    expect((await client.listBdsApiKeys({ bdsInstanceId: cluster, lifecycleState: 'CREATING' })).items).toEqual([]);
  });

  it('deletes through a work request; afterwards GET is 404 and the fingerprint left ListApiKeys', async () => {
    const cluster = emu.addCluster();
    const user = freshUser();
    const keyId = keyIdOf(await create(cluster, user, 'gone'), cluster);
    const del = await client.deleteBdsApiKey({ bdsInstanceId: cluster, apiKeyId: keyId });
    const wr = (await waiters.forWorkRequest({ workRequestId: del.opcWorkRequestId })).workRequest;
    expect(wr).toMatchObject({ operationType: 'DELETE_API_KEY', status: 'SUCCEEDED' });
    expect(wr.resources[0]).toMatchObject({ actionType: 'DELETED', identifier: keyId });
    const err = await sdkError(client.getBdsApiKey({ bdsInstanceId: cluster, apiKeyId: keyId }));
    expect([err.statusCode, err.serviceCode]).toEqual([404, 'NotAuthorizedOrNotFound']);
    expect(await fingerprintsOf(user)).toEqual([]);
    // The alias is free again.
    expect((await create(cluster, user, 'gone')).status).toBe('SUCCEEDED');
  });

  it('tests the Object Storage connection: SUCCEEDED with the key\u2019s passphrase, FAILED with another or a bad URI', async () => {
    const cluster = emu.addCluster();
    const passphrase = freshPassphrase();
    const keyId = keyIdOf(await create(cluster, freshUser(), 'tester', passphrase), cluster);
    const test = async (objectStorageUri: string, pass: string): Promise<bds.models.WorkRequest> => {
      const res = await client.testBdsObjectStorageConnection({
        bdsInstanceId: cluster,
        apiKeyId: keyId,
        testBdsObjectStorageConnectionDetails: { objectStorageUri, passphrase: pass },
      });
      return (await waiters.forWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest;
    };
    const ok = await test('oci://landing@tenancyns/', passphrase);
    expect(ok).toMatchObject({ operationType: 'TEST_OBJECT_STORE_CONNECTION', status: 'SUCCEEDED' });

    const wrong = freshPassphrase();
    for (const [uri, pass, says] of [
      ['oci://landing@tenancyns/', wrong, 'passphrase'],
      ['s3://landing/', passphrase, 'oci://bucket@namespace/'],
    ] as const) {
      const failed = await test(uri, pass);
      expect(failed.status).toBe('FAILED');
      const errors = (await client.listWorkRequestErrors({ workRequestId: failed.id })).items;
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain(says);
      expect(JSON.stringify(errors)).not.toContain(pass);
    }
  });

  it('accepts only ASCII alphanumeric aliases, unique per cluster', async () => {
    const [c1, c2] = [emu.addCluster(), emu.addCluster()];
    const user = freshUser();
    for (const bad of ['with space', 'dash-ed', 'under_score', 'caf\u00e9', '']) {
      const err = await sdkError(
        client.createBdsApiKey({ bdsInstanceId: c1, createBdsApiKeyDetails: { userId: user, passphrase: freshPassphrase(), keyAlias: bad } }),
      );
      expect([err.statusCode, err.serviceCode]).toEqual([400, 'InvalidParameter']);
    }
    await create(c1, user, 'Shared01');
    const dup = await sdkError(
      client.createBdsApiKey({ bdsInstanceId: c1, createBdsApiKeyDetails: { userId: freshUser(), passphrase: freshPassphrase(), keyAlias: 'Shared01' } }),
    );
    expect([dup.statusCode, dup.serviceCode]).toEqual([409, 'Conflict']);
    expect((await create(c2, user, 'Shared01')).status).toBe('SUCCEEDED');
    expect(emu.listBdsKeys(c1)).toHaveLength(1);
  });

  it('replays a create with the same opc-retry-token and refuses it for another request', async () => {
    const cluster = emu.addCluster();
    const details = { userId: freshUser(), passphrase: freshPassphrase(), keyAlias: 'retried' };
    const send = (d: typeof details): Promise<bds.responses.CreateBdsApiKeyResponse> =>
      client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: d, opcRetryToken: `token-${cluster.slice(-12)}` });
    const first = await send(details);
    const again = await send(details);
    expect(again.opcWorkRequestId).toBe(first.opcWorkRequestId);
    expect(emu.listBdsKeys(cluster)).toHaveLength(1);
    for (const changed of [
      { ...details, keyAlias: 'other' },
      { ...details, passphrase: freshPassphrase() },
    ]) {
      const err = await sdkError(send(changed));
      expect([err.statusCode, err.serviceCode]).toEqual([409, 'InvalidatedRetryToken']);
    }
  });

  it('answers 404 for an unknown cluster, key or work request, and to a caller who is not the tenancy admin', async () => {
    const cluster = emu.addCluster();
    const calls: (() => Promise<unknown>)[] = [
      () => client.listBdsApiKeys({ bdsInstanceId: 'ocid1.bigdataservice.oc1.iad.amaaaaaaunknown' }),
      () => client.getBdsApiKey({ bdsInstanceId: cluster, apiKeyId: 'ocid1.bdsapikey.oc1.iad.amaaaaaanope' }),
      () => client.getWorkRequest({ workRequestId: 'ocid1.bdsworkrequest.oc1.iad.amaaaaaanope' }),
    ];
    const alice = await emu.addUser();
    const asAlice = testBdsClient(alice, emu.url);
    try {
      calls.push(() => asAlice.listBdsApiKeys({ bdsInstanceId: cluster }));
      calls.push(() => asAlice.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: { userId: alice.user, passphrase: 'x', keyAlias: 'mine' } }));
      for (const call of calls) {
        const err = await sdkError(call());
        expect([err.statusCode, err.serviceCode]).toEqual([404, 'NotAuthorizedOrNotFound']);
      }
    } finally {
      asAlice.close();
    }
    expect(emu.listBdsKeys(cluster)).toEqual([]);
  });
});
