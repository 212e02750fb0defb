/**
 * The OCI adapter against the OCI Identity emulator, through the official SDK: sandbox and
 * config-file credentials, one ListApiKeys per user, create (journal before upload,
 * fingerprint), delete, the 3-key quota, 401s, and no key material or passphrase in any
 * error. Waiting, lost answers and faults: adapter.recovery.integration.test.ts.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator, type OciEmulator } from '../../emulators/oci/index.js';
import { ProviderError } from '../../errors/errors.js';
import type { DesiredKey } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { ConfigureRequest, CreateRequest } from '../contract.js';
import { OciAdapter, type OciAdapterOptions } from './adapter.js';
import { fingerprintOf, OCI_API_KEY_LABEL } from './keygen.js';

const PASS = 'integration passphrase 7f3c';
const FAST: OciAdapterOptions = { pollIntervalMs: 20, maxPollIntervalMs: 50, activeTimeoutMs: 5_000 };

let emu: OciEmulator;
beforeAll(async () => {
  emu = await startOciEmulator({ autoCreateUsers: true });
});
afterAll(async () => {
  await emu?.close();
});

function sandboxRequest(e: OciEmulator, settings: Record<string, unknown> = {}, credentials: Record<string, string> = { ...e.admin }): ConfigureRequest {
  return {
    block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox', ...settings } },
    baseDir: tmpdir(),
    env: {},
    sandbox: { url: e.url, credentials },
  };
}

async function adapterFor(e: OciEmulator, options: OciAdapterOptions = FAST, settings: Record<string, unknown> = {}): Promise<OciAdapter> {
  const a = new OciAdapter(options);
  await a.configure(sandboxRequest(e, settings));
  onTestFinished(() => a.close());
  return a;
}

function desired(name: string, owner: string, bits = 2048): DesiredKey {
  return {
    name,
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    attributes: { user: owner, bits },
    passphrase: { env: 'PASS' },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

let userSeq = 0;
const newUser = (): string => `ocid1.user.oc1..it${Date.now().toString(36)}${(userSeq++).toString(36)}`;

function createReq(key: DesiredKey, extra: Partial<CreateRequest> = {}): CreateRequest {
  return { key, passphrase: new Secret(PASS), token: `tok-${key.name}`, recordIntent: async () => {}, ...extra };
}

const requestsFor = (e: OciEmulator, user: string, from = 0) =>
  e.requestLog.slice(from).filter((r) => r.path.includes(encodeURIComponent(user)) || r.path.includes(user));

describe('OciAdapter against the emulator', () => {
  it('lists with exactly one ListApiKeys request per user, however many keys it has', async () => {
    const a = await adapterFor(emu);
    const user = newUser();
    expect((await a.list({ kind: 'oci.api_key', owner: user })).keys).toEqual([]);
    await a.create(createReq(desired('k1', user)));
    await a.create(createReq(desired('k2', user)));
    const before = emu.requestLog.length;
    const { keys } = await a.list({ kind: 'oci.api_key', owner: user });
    const reqs = requestsFor(emu, user, before);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ method: 'GET', status: 200 });
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k).toMatchObject({ provider: 'oci', kind: 'oci.api_key', owner: user, status: 'active', attributes: { user, fingerprint: k.id, bits: 2048 } });
      expect(k.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(keys.map((k) => k.id)).toEqual([...keys.map((k) => k.id)].sort());
  });

  it('creates an ACTIVE key whose fingerprint matches the PEM, journalling before the upload', async () => {
    const a = await adapterFor(emu);
    const user = newUser();
    const journal: { fp: string | undefined; postsSeen: number }[] = [];
    const start = emu.requestLog.length;
    const res = await a.create(
      createReq(desired('ci', user), {
        recordIntent: async (fp) => {
          await new Promise((r) => setTimeout(r, 30)); // a slow journal must still come first
          journal.push({ fp, postsSeen: requestsFor(emu, user, start).filter((r) => r.method === 'POST').length });
        },
      }),
    );
    const pem = res.material.file.reveal();
    expect(pem.endsWith(`-----END ENCRYPTED PRIVATE KEY-----\n${OCI_API_KEY_LABEL}\n`)).toBe(true);
    const fp = fingerprintOf(
      createPublicKey(createPrivateKey({ key: pem, passphrase: PASS }))
        .export({ type: 'spki', format: 'pem' })
        .toString(),
    );
    expect(res.live).toMatchObject({ id: fp, status: 'active', owner: user, attributes: { user, fingerprint: fp } });
    expect(journal).toEqual([{ fp, postsSeen: 0 }]);
    expect(requestsFor(emu, user, start).filter((r) => r.method === 'POST')).toEqual([expect.objectContaining({ status: 200 })]);
    expect(emu.listKeys(user)).toEqual([expect.objectContaining({ fingerprint: fp, lifecycleState: 'ACTIVE' })]);
    expect(res.material.secrets['private_key']?.reveal()).toBe(pem);
    expect(res.material.values).toEqual({
      user,
      fingerprint: fp,
      tenancy: emu.admin.tenancy,
      region: emu.admin.region,
      key_id: `${emu.admin.tenancy}/${user}/${fp}`,
    });
  });

  it('honours bits: 4096 and passphrase: none', async () => {
    const a = await adapterFor(emu);
    const user = newUser();
    const res = await a.create({ ...createReq(desired('big', user, 4096)), passphrase: null });
    expect(createPrivateKey(res.material.file.reveal()).asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect((await a.list({ kind: 'oci.api_key', owner: user })).keys[0]?.attributes['bits']).toBe(4096);
  }, 60_000);

  it('deletes a key, and deleting a missing key succeeds', async () => {
    const a = await adapterFor(emu);
    const user = newUser();
    const { live } = await a.create(createReq(desired('gone', user)));
    let journalled = 0;
    await a.delete({ kind: 'oci.api_key', owner: user, id: live.id, recordIntent: async () => void journalled++ });
    expect(emu.listKeys(user)).toEqual([]);
    await a.delete({ kind: 'oci.api_key', owner: user, id: live.id, recordIntent: async () => void journalled++ });
    await a.delete({ kind: 'oci.api_key', owner: newUser(), id: live.id, recordIntent: async () => void journalled++ });
    expect(journalled).toBe(3);
  });

  it('refuses a 4th key with ProviderError 400 LimitExceeded and leaves 3 keys', async () => {
    const a = await adapterFor(emu);
    const user = (await emu.addUser()).user; // holds one key already
    await a.create(createReq(desired('two', user)));
    await a.create(createReq(desired('three', user)));
    const err = await a.create(createReq(desired('four', user))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'oci', operation: 'UploadApiKey', statusCode: 400, serviceCode: 'LimitExceeded', retryable: false, key: 'four' });
    const pe = err as ProviderError;
    expect(pe.requestId).toBeTruthy();
    expect(pe.message).toBe(
      `oci: UploadApiKey for user ${user}: 400 LimitExceeded: The user already has the maximum number of API keys (3). (opc-request-id ${pe.requestId})`,
    );
    expect(emu.listKeys(user)).toHaveLength(3);
    expect((await a.list({ kind: 'oci.api_key', owner: user })).keys).toHaveLength(3);
  });

  it('reports a 401 NotAuthenticated when signing with the wrong private key', async () => {
    const other = await emu.addUser();
    const a = new OciAdapter(FAST);
    await a.configure(sandboxRequest(emu, {}, { ...emu.admin, privateKeyPem: other.privateKeyPem }));
    onTestFinished(() => a.close());
    const err = await a.list({ kind: 'oci.api_key', owner: other.user }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated', retryable: false, operation: 'ListApiKeys' });
    expect(JSON.stringify(err)).not.toContain(other.privateKeyPem.split('\n')[1]);
  });

  it('configures from an OCI config file profile pointed at the emulator with endpoint: <url>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyplan-oci-it-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { tenancy, user, fingerprint, privateKeyPem, region } = emu.admin;
    writeFileSync(join(dir, 'admin.pem'), privateKeyPem, { mode: 0o600 });
    writeFileSync(
      join(dir, 'config'),
      `[DEFAULT]\ntenancy=${tenancy}\nregion=${region}\n\n[SANDBOX]\nuser=${user}\nfingerprint=${fingerprint}\nkey_file=admin.pem\n`,
    );
    const a = new OciAdapter(FAST);
    await a.configure({
      block: { name: 'oci', type: 'oci', settings: { config_file: 'config', profile: 'SANDBOX', endpoint: emu.url } },
      baseDir: dir,
      env: {},
    });
    onTestFinished(() => a.close());
    const owner = newUser();
    const { live } = await a.create(createReq(desired('from-profile', owner)));
    expect((await a.list({ kind: 'oci.api_key', owner })).keys.map((k) => k.id)).toEqual([live.id]);
  });

  it('never puts the private key or the passphrase into an error', async () => {
    const errors: unknown[] = [];
    const a = await adapterFor(emu);
    const user = (await emu.addUser()).user;
    await a.create(createReq(desired('a', user)));
    await a.create(createReq(desired('b', user)));
    errors.push(await a.create(createReq(desired('c', user))).catch((e: unknown) => e)); // quota
    errors.push(await a.create(createReq(desired('bad', user, 1024))).catch((e: unknown) => e)); // bits
    errors.push(await a.create({ ...createReq(desired('empty', user)), passphrase: new Secret('') }).catch((e: unknown) => e));
    const wrong = new OciAdapter(FAST);
    await wrong.configure(sandboxRequest(emu, {}, { ...emu.admin, privateKeyPem: (await emu.addUser()).privateKeyPem }));
    onTestFinished(() => wrong.close());
    errors.push(await wrong.create(createReq(desired('unauth', user))).catch((e: unknown) => e)); // 401
    const adminBody = emu.admin.privateKeyPem.split('\n')[1] ?? 'unreachable';
    expect(errors).toHaveLength(4);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      const texts = [String((err as Error).message), JSON.stringify(err), inspect(err, { depth: 5 })];
      for (let c = (err as Error).cause; c !== undefined && c !== null; c = (c as Error).cause) texts.push(String((c as Error).message), JSON.stringify(c));
      for (const t of texts) {
        expect(t).not.toContain(PASS);
        expect(t).not.toContain('PRIVATE KEY');
        expect(t).not.toContain(adminBody);
      }
    }
  });
});
