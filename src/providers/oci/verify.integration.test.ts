/**
 * `verify` of the oci adapter against the OCI emulator: a new IAM key signs ListApiKeys
 * itself (authenticated at once; 401 while the emulator's propagation delay lasts, then
 * authenticated; never with `newKeysNeverAuthenticate`), and a BDS key runs its connection
 * test only when it declares one. Reasons name the refusal, never the key or passphrase.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import * as common from 'oci-common';
import { startOciEmulator, type OciEmulator, type OciEmulatorOptions } from '../../emulators/oci/index.js';
import type { DesiredKey } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { CreateResult, VerifyResult } from '../contract.js';
import { OciAdapter } from './adapter.js';

const PASS = 'verify passphrase 0c4e';
const DELAY_MS = 1_500;

const emulators: OciEmulator[] = [];
let prompt: OciEmulator;
let slow: OciEmulator;
let never: OciEmulator;
async function start(options: OciEmulatorOptions): Promise<OciEmulator> {
  const e = await startOciEmulator({ autoCreateUsers: true, bds: { autoCreateClusters: true }, ...options });
  emulators.push(e);
  return e;
}
beforeAll(async () => {
  [prompt, slow, never] = await Promise.all([start({}), start({ newKeyAuthDelayMs: DELAY_MS }), start({ newKeysNeverAuthenticate: true })]);
});
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

async function adapterFor(e: OciEmulator): Promise<OciAdapter> {
  const a = new OciAdapter({
    pollIntervalMs: 10,
    maxPollIntervalMs: 20,
    retryConfiguration: common.NoRetryConfigurationDetails,
    bds: { pollIntervalMs: 5, maxPollIntervalMs: 20, workRequestTimeoutMs: 5_000 },
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

function iamKey(owner: string, passphrase: 'env' | 'none' = 'env'): DesiredKey {
  return {
    name: 'deployer',
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    attributes: { user: owner, bits: 2048 },
    passphrase: passphrase === 'env' ? { env: 'PASS' } : { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

function bdsKey(cluster: string, user: string, test?: string): DesiredKey {
  return {
    name: 'etl',
    kind: 'oci.bds_api_key',
    provider: 'oci',
    owner: cluster,
    attributes: { cluster, alias: `etl${unique()}`, user, ...(test === undefined ? {} : { test_connection_uri: test }) },
    passphrase: { env: 'PASS' },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

async function createIam(a: OciAdapter, key: DesiredKey, passphrase: Secret | null): Promise<CreateResult> {
  return a.create({ key, passphrase, token: `tok-${unique()}`, recordIntent: async () => undefined });
}

function expectClean(result: VerifyResult, created: CreateResult): void {
  const text = JSON.stringify(result);
  expect(text).not.toContain(PASS);
  expect(text).not.toContain('PRIVATE KEY');
  expect(text).not.toContain(created.material.file.reveal().slice(40, 80));
}

describe('OciAdapter.verify for oci.api_key', () => {
  it('authenticates a new key by signing ListApiKeys of its own user with it, passphrase-encrypted or not', async () => {
    const a = await adapterFor(prompt);
    for (const mode of ['env', 'none'] as const) {
      const key = iamKey(`ocid1.user.oc1..vfy${unique()}`, mode);
      const passphrase = mode === 'env' ? new Secret(PASS) : null;
      const created = await createIam(a, key, passphrase);
      const before = prompt.requestLog.length;
      expect(await a.verify({ key, live: created.live, material: created.material, passphrase })).toEqual({ outcome: 'authenticated' });
      // One signed call, by the key's own user, answered 200.
      expect(prompt.requestLog.slice(before)).toEqual([{ method: 'GET', path: `/20160918/users/${key.owner}/apiKeys`, status: 200 }]);
    }
  });

  it('is rejected with 401 NotAuthenticated while the new key propagates, then authenticated', async () => {
    const a = await adapterFor(slow);
    const key = iamKey(`ocid1.user.oc1..vfy${unique()}`);
    const created = await createIam(a, key, new Secret(PASS));
    const req = { key, live: created.live, material: created.material, passphrase: new Secret(PASS) };
    const early = await a.verify(req);
    expect(early).toEqual({
      outcome: 'rejected',
      reason: expect.stringMatching(/^ListApiKeys signed with the new key: 401 NotAuthenticated \(opc-request-id \S+\)$/),
    });
    expectClean(early, created);
    // The admin's own calls are unaffected meanwhile.
    expect((await a.list({ kind: 'oci.api_key', owner: key.owner })).keys.map((k) => k.id)).toEqual([created.live.id]);
    await new Promise((r) => setTimeout(r, DELAY_MS + 100));
    expect(await a.verify(req)).toEqual({ outcome: 'authenticated' });
  });

  it('stays rejected for a key created to never authenticate, and for a passphrase that does not open the key', async () => {
    const a = await adapterFor(never);
    const key = iamKey(`ocid1.user.oc1..vfy${unique()}`);
    const created = await createIam(a, key, new Secret(PASS));
    const req = { key, live: created.live, material: created.material, passphrase: new Secret(PASS) };
    for (let i = 0; i < 2; i++) expect((await a.verify(req)).outcome).toBe('rejected');
    expect(never.requestLog.at(-1)).toMatchObject({ status: 401, code: 'NotAuthenticated', detail: expect.stringContaining('never authenticate') });

    const wrong = await a.verify({ ...req, passphrase: new Secret('not the passphrase') });
    expect(wrong).toEqual({ outcome: 'rejected', reason: 'the new private key cannot be opened with its passphrase' });
    expectClean(wrong, created);
  });
});

describe('OciAdapter.verify for oci.bds_api_key', () => {
  async function createBds(a: OciAdapter, cluster: string, user: string): Promise<CreateResult> {
    // Created without a test (create would run it); verify gets the declaration with one.
    return a.create({ key: bdsKey(cluster, user), passphrase: new Secret(PASS), token: `tok-${unique()}`, recordIntent: async () => undefined });
  }
  const URI = 'oci://raw@ns/';

  it('runs TestBdsObjectStorageConnection when test_connection is declared, and makes no call otherwise', async () => {
    const a = await adapterFor(prompt);
    const cluster = `ocid1.bigdataservice.oc1.iad.vfy${unique()}`;
    const created = await createBds(a, cluster, `ocid1.user.oc1..vfy${unique()}`);
    const user = String(created.live.attributes['user']);
    const before = prompt.requestLog.length;
    const plain = bdsKey(cluster, user);
    expect(await a.verify({ key: plain, live: created.live, material: created.material, passphrase: new Secret(PASS) })).toEqual({ outcome: 'authenticated' });
    expect(prompt.requestLog.length).toBe(before);
    const tested = bdsKey(cluster, user, URI);
    expect(await a.verify({ key: tested, live: created.live, material: created.material, passphrase: new Secret(PASS) })).toEqual({ outcome: 'authenticated' });
    expect(prompt.requestLog.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`)).toContain(
      `POST /20190531/bdsInstances/${cluster}/apiKeys/${created.live.id}/actions/testObjectStorageConnection`,
    );
  });

  it('is rejected (work request FAILED) while the key propagates, then authenticated; never with newKeysNeverAuthenticate', async () => {
    const s = await adapterFor(slow);
    const cluster = `ocid1.bigdataservice.oc1.iad.vfy${unique()}`;
    const created = await createBds(s, cluster, `ocid1.user.oc1..vfy${unique()}`);
    const req = {
      key: bdsKey(cluster, String(created.live.attributes['user']), URI),
      live: created.live,
      material: created.material,
      passphrase: new Secret(PASS),
    };
    const early = await s.verify(req);
    expect(early.outcome).toBe('rejected');
    expect(early.outcome === 'rejected' ? early.reason : '').toMatch(
      /TestBdsObjectStorageConnection .*FAILED: NotAuthenticated: .*\(testing oci:\/\/raw@ns\/\)$/,
    );
    expect(JSON.stringify(early)).not.toContain(PASS);
    await new Promise((r) => setTimeout(r, DELAY_MS + 100));
    expect(await s.verify(req)).toEqual({ outcome: 'authenticated' });

    const n = await adapterFor(never);
    const cluster2 = `ocid1.bigdataservice.oc1.iad.vfy${unique()}`;
    const made = await createBds(n, cluster2, `ocid1.user.oc1..vfy${unique()}`);
    const req2 = { key: bdsKey(cluster2, String(made.live.attributes['user']), URI), live: made.live, material: made.material, passphrase: new Secret(PASS) };
    expect((await n.verify(req2)).outcome).toBe('rejected');
    expect((await n.verify(req2)).outcome).toBe('rejected');
  });
});
