/**
 * The oci adapter's BDS half against the OCI emulator's BDS routes, through the official
 * oci-bds client: create as a work request (key ACTIVE, fingerprint in the user's
 * ListApiKeys, alias journalled first), paginated listing with GETs only for keys state
 * does not know, delete, the shared 3-key quota ending in a FAILED work request, injected
 * work request failures, the connection test, and no passphrase in any error or request.
 */
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import * as common from 'oci-common';
import { startOciEmulator, type OciEmulator } from '../../../emulators/oci/index.js';
import { ProviderError } from '../../../errors/errors.js';
import type { DesiredKey } from '../../../model/desired.js';
import { Secret } from '../../../model/secret.js';
import type { IntentMatch } from '../../../model/state.js';
import type { CreateRequest } from '../../contract.js';
import { OciAdapter } from '../adapter.js';

const PASS = 'bds-integration-Passphrase-51e0';
const KIND = 'oci.bds_api_key';

let emu: OciEmulator;
let failing: OciEmulator;
beforeAll(async () => {
  emu = await startOciEmulator({ autoCreateUsers: true, bds: { autoCreateClusters: true, defaultPageSize: 2, workRequestPolls: 1 } });
  failing = await startOciEmulator({ autoCreateUsers: true, bds: { autoCreateClusters: true, failWorkRequests: 1 } });
});
afterAll(async () => {
  await Promise.all([emu?.close(), failing?.close()]);
});

async function adapterFor(e: OciEmulator, workRequestTimeoutMs = 5_000): Promise<OciAdapter> {
  const a = new OciAdapter({
    retryConfiguration: common.NoRetryConfigurationDetails,
    bds: { pollIntervalMs: 5, maxPollIntervalMs: 20, workRequestTimeoutMs },
  });
  await a.configure({
    block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox' } },
    baseDir: tmpdir(),
    env: {},
    sandbox: { url: e.url, credentials: { ...e.admin } },
  });
  onTestFinished(() => a.close());
  return a;
}

let seq = 0;
const unique = (): string => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const newUser = (): string => `ocid1.user.oc1..bds${unique()}`;
const newCluster = (): string => `ocid1.bigdataservice.oc1.iad.it${unique()}`;

function bdsKey(name: string, cluster: string, user: string, extra: Record<string, string> = {}): DesiredKey {
  return {
    name,
    kind: KIND,
    provider: 'oci',
    owner: cluster,
    attributes: { cluster, alias: name.replace(/[^A-Za-z0-9]/g, ''), user, ...extra },
    passphrase: { env: 'PASS' },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

function createReq(key: DesiredKey, journal: (IntentMatch | undefined)[] = []): CreateRequest {
  return {
    key,
    passphrase: new Secret(PASS),
    token: `tok-${key.name}-${unique()}`,
    recordIntent: async (liveId, match) => void journal.push(liveId === undefined ? match : { attribute: 'liveId', value: liveId }),
  };
}

const bdsRequests = (e: OciEmulator, from: number) => e.requestLog.slice(from).filter((r) => r.path.startsWith('/20190531/'));

describe('oci.bds_api_key through the oci adapter', () => {
  it('creates an ACTIVE key, journals the alias before the POST, and the user sees it in ListApiKeys', async () => {
    const a = await adapterFor(emu);
    const [cluster, user] = [newCluster(), newUser()];
    const journal: (IntentMatch | undefined)[] = [];
    const start = emu.requestLog.length;
    const req = createReq(bdsKey('etl1', cluster, user, { default_region: 'eu-frankfurt-1' }), journal);
    const original = req.recordIntent;
    let postsBeforeJournal = -1;
    const res = await a.create({
      ...req,
      recordIntent: async (liveId, match) => {
        postsBeforeJournal = bdsRequests(emu, start).filter((r) => r.method === 'POST').length;
        await original(liveId, match);
      },
    });
    expect(postsBeforeJournal).toBe(0);
    expect(journal).toEqual([{ attribute: 'alias', value: 'etl1' }]);
    expect(res.live).toMatchObject({
      provider: 'oci',
      kind: KIND,
      owner: cluster,
      status: 'active',
      attributes: { cluster, alias: 'etl1', user, default_region: 'eu-frankfurt-1' },
    });
    const fp = res.live.attributes['fingerprint'];
    expect(fp).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(emu.listKeys(user).map((k) => k.fingerprint)).toEqual([fp]);
    expect(emu.listBdsKeys(cluster)).toEqual([expect.objectContaining({ id: res.live.id, keyAlias: 'etl1', lifecycleState: 'ACTIVE', fingerprint: fp })]);
    // The same key through the IAM half: one slot, same fingerprint.
    expect((await a.list({ kind: 'oci.api_key', owner: user })).keys.map((k) => k.id)).toEqual([fp]);
    expect(res.material.values).toMatchObject({ cluster, alias: 'etl1', user, key_id: res.live.id, fingerprint: fp });
    expect(res.material.file.reveal()).toBe('');
  });

  it('lists page by page and GETs only the keys state has no user and fingerprint for', async () => {
    const a = await adapterFor(emu);
    const cluster = newCluster();
    const created = [];
    for (const n of ['k1', 'k2', 'k3']) created.push((await a.create(createReq(bdsKey(n, cluster, newUser())))).live);
    const start = emu.requestLog.length;
    const all = (await a.list({ kind: KIND, owner: cluster })).keys;
    expect(all).toEqual([...created].sort((x, y) => (x.id < y.id ? -1 : 1)).map((k) => expect.objectContaining({ id: k.id, attributes: k.attributes })));
    const reqs = bdsRequests(emu, start);
    // Page size 2: two list pages, the second with the token of the first, and three GETs.
    const pages = reqs.filter((r) => r.method === 'GET' && /\/apiKeys(\?|$)/.test(r.path)).map((r) => r.path);
    expect(pages).toEqual([`/20190531/bdsInstances/${cluster}/apiKeys`, expect.stringMatching(/\/apiKeys\?page=[A-Za-z0-9_-]+$/)]);
    expect(reqs.filter((r) => /\/apiKeys\/[^/?]+$/.test(r.path))).toHaveLength(3);

    const [first, second] = created as [(typeof created)[number], (typeof created)[number]];
    const again = emu.requestLog.length;
    const known = { [first.id]: first.attributes, [second.id]: { alias: 'k2', user: 'x' } };
    const keys = (await a.list({ kind: KIND, owner: cluster, known: Object.keys(known), knownAttributes: known })).keys;
    expect(keys.find((k) => k.id === first.id)?.attributes).toEqual(first.attributes);
    // The second record lacks a fingerprint, so that key is read again; the first is not.
    const gets = bdsRequests(emu, again)
      .filter((r) => /\/apiKeys\/[^/?]+$/.test(r.path))
      .map((r) => decodeURIComponent(r.path));
    expect(gets).toHaveLength(2);
    expect(gets.some((p) => p.endsWith(first.id))).toBe(false);
  });

  it('deletes through a work request; deleting a key that is gone succeeds', async () => {
    const a = await adapterFor(emu);
    const [cluster, user] = [newCluster(), newUser()];
    const { live } = await a.create(createReq(bdsKey('gone', cluster, user)));
    let journalled = 0;
    await a.delete({ kind: KIND, owner: cluster, id: live.id, recordIntent: async () => void journalled++ });
    expect(emu.listBdsKeys(cluster)).toEqual([]);
    expect(emu.listKeys(user)).toEqual([]);
    await a.delete({ kind: KIND, owner: cluster, id: live.id, recordIntent: async () => void journalled++ });
    expect(journalled).toBe(2);
    expect((await a.list({ kind: KIND, owner: cluster })).keys).toEqual([]);
  });

  it('a 4th key for a user holding 3 (IAM + BDS) ends in a FAILED work request, quoted, with no key left', async () => {
    const a = await adapterFor(emu);
    const cluster = newCluster();
    const user = (await emu.addUser()).user; // one IAM key of its own
    await a.create(createReq(bdsKey('b1', cluster, user)));
    await a.create(createReq(bdsKey('b2', cluster, user)));
    const err = await a.create(createReq(bdsKey('b3', cluster, user))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    const pe = err as ProviderError;
    expect(pe).toMatchObject({ operation: 'CreateBdsApiKey', key: 'b3', retryable: false, serviceCode: 'WorkRequestFAILED' });
    expect(pe.message).toMatch(
      new RegExp(
        `^oci: CreateBdsApiKey on cluster ${cluster.replace(/\./g, '\\.')}: work request \\S+ FAILED: LimitExceeded: User ${user} already has the maximum number of API keys \\(3\\)`,
      ),
    );
    expect(emu.listBdsKeys(cluster).map((k) => k.keyAlias)).toEqual(['b1', 'b2']);
    expect(emu.listKeys(user)).toHaveLength(3);
  });

  it('turns an injected work request failure into an error quoting ListWorkRequestErrors', async () => {
    const a = await adapterFor(failing);
    const cluster = newCluster();
    const err = await a.create(createReq(bdsKey('doomed', cluster, newUser()))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/work request \S+ FAILED: InternalServerError: Internal error occurred while trying to create the API key\.$/);
    expect(failing.listBdsKeys(cluster)).toEqual([]);
  });

  it('gives up on a work request that does not finish in time, saying the outcome is unknown', async () => {
    const slow = await startOciEmulator({ autoCreateUsers: true, bds: { autoCreateClusters: true, workRequestPolls: 1_000_000 } });
    onTestFinished(() => slow.close());
    const a = await adapterFor(slow, 300);
    const err = await a.create(createReq(bdsKey('slow', newCluster(), newUser()))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/work request \S+ did not finish within 300ms; its outcome is unknown \(the next plan shows it\)$/);
  });

  it('runs the connection test after create; a failed test deletes the new key again', async () => {
    const a = await adapterFor(emu);
    const [cluster, user] = [newCluster(), newUser()];
    const ok = await a.create(createReq(bdsKey('tested', cluster, user, { test_connection_uri: 'oci://raw@ns/', test_connection_region: 'us-ashburn-1' })));
    expect(ok.live.status).toBe('active');
    const err = await a.create(createReq(bdsKey('untestable', cluster, user, { test_connection_uri: 'oci://no-namespace/' }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(
      /^oci: TestBdsObjectStorageConnection on cluster \S+: work request \S+ FAILED: InvalidParameter: The Object Storage URI must look like oci:\/\/bucket@namespace\/\. \(testing oci:\/\/no-namespace\/\); the new key \S+ was deleted again$/,
    );
    expect(emu.listBdsKeys(cluster).map((k) => k.keyAlias)).toEqual(['tested']);
    expect(emu.listKeys(user)).toHaveLength(1);
  });

  it('never puts the passphrase into an error, a request path or the emulator log', async () => {
    const a = await adapterFor(emu);
    const cluster = newCluster();
    const user = (await emu.addUser()).user;
    const start = emu.requestLog.length;
    const errors: unknown[] = [];
    await a.create(createReq(bdsKey('p1', cluster, user)));
    await a.create(createReq(bdsKey('p2', cluster, user)));
    errors.push(await a.create(createReq(bdsKey('p3', cluster, user))).catch((e: unknown) => e));
    errors.push(await a.create(createReq(bdsKey('p4', cluster, user))).catch((e: unknown) => e));
    errors.push(await a.create(createReq({ ...bdsKey('x', cluster, user), attributes: { cluster, alias: 'no good', user } })).catch((e: unknown) => e));
    errors.push(await a.create(createReq(bdsKey('t', cluster, newUser(), { test_connection_uri: 'oci://x/' }))).catch((e: unknown) => e));
    expect(errors.filter((e) => e instanceof Error).length).toBeGreaterThanOrEqual(3);
    for (const err of errors) {
      const texts = [String((err as Error)?.message), JSON.stringify(err), inspect(err, { depth: 6 })];
      for (const t of texts) expect(t).not.toContain(PASS);
    }
    expect(JSON.stringify(emu.requestLog.slice(start))).not.toContain(PASS);
  });
});
