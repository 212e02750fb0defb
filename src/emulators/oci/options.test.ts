import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator, type OciEmulator, type OciEmulatorOptions } from './index.js';
import { sdkError, testIdentityClient } from './testing/sdk.js';
import { testKeyPairs, type TestKeyPair } from './testing/keys.js';
import { ADMIN_KEY_FILE } from './credentials.js';
import { STORE_FILE } from './store.js';
import { FaultInjector } from '../shared/index.js';
import { injectedFault } from './errors.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-oci-emu-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(options: OciEmulatorOptions = {}): Promise<OciEmulator> {
  const emu = await startOciEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

function clientOf(emu: OciEmulator): ReturnType<typeof testIdentityClient> {
  const client = testIdentityClient(emu.admin, emu.url);
  onTestFinished(() => client.close());
  return client;
}

describe('emulator options', () => {
  let pair: TestKeyPair;
  // One emulator with default options for the tests that need nothing special.
  let plain: OciEmulator;

  beforeAll(async () => {
    let pairs: TestKeyPair[];
    [pairs, plain] = await Promise.all([testKeyPairs(1), startOciEmulator()]);
    pair = pairs[0] as TestKeyPair;
  });
  afterAll(() => plain.close());

  it('persists tenancy, admin, keys and retry tokens in dataDir across a restart', async () => {
    const dataDir = tempDir();
    const first = await startOciEmulator({ dataDir });
    const up = await clientOf(first).uploadApiKey({
      userId: first.admin.user,
      opcRetryToken: 'persisted-token',
      createApiKeyDetails: { key: pair.publicKeyPem },
    });
    await first.close();

    expect(statSync(join(dataDir, ADMIN_KEY_FILE)).mode & 0o777).toBe(0o600);
    // No temp files left behind; the upload went to the store's change log, also 0600.
    expect(readdirSync(dataDir).sort()).toEqual([ADMIN_KEY_FILE, STORE_FILE, `${STORE_FILE}.log`].sort());
    expect(statSync(join(dataDir, `${STORE_FILE}.log`)).mode & 0o777).toBe(0o600);
    for (const file of [STORE_FILE, `${STORE_FILE}.log`]) expect(readFileSync(join(dataDir, file), 'utf8')).not.toContain('PRIVATE KEY');

    const second = await started({ dataDir });
    expect(second.admin).toEqual(first.admin);
    const client = clientOf(second);
    const listed = await client.listApiKeys({ userId: second.admin.user });
    expect(listed.items.map((k) => k.fingerprint)).toEqual([second.admin.fingerprint, up.apiKey.fingerprint]);
    // A retry of the first process's upload, after the restart, replays instead of failing as a duplicate.
    const replay = await client.uploadApiKey({ userId: second.admin.user, opcRetryToken: 'persisted-token', createApiKeyDetails: { key: pair.publicKeyPem } });
    expect(replay.apiKey).toEqual(up.apiKey);
  });

  it('shares one dataDir between two running emulators (separate keyplan processes)', async () => {
    const dataDir = tempDir();
    const a = await started({ dataDir });
    const b = await started({ dataDir });
    const user = await a.addUser();
    expect(b.listKeys(user.user).map((k) => k.fingerprint)).toEqual([user.fingerprint]);
    b.deleteKeyOutOfBand(user.user, user.fingerprint);
    expect(a.listKeys(user.user)).toEqual([]);
  });

  it('heals a data folder whose admin key file was lost', async () => {
    const dataDir = tempDir();
    const first = await startOciEmulator({ dataDir });
    await first.close();
    rmSync(join(dataDir, ADMIN_KEY_FILE));
    const second = await started({ dataDir });
    expect(second.admin.user).toBe(first.admin.user);
    expect(second.admin.fingerprint).not.toBe(first.admin.fingerprint);
    expect((await clientOf(second).listApiKeys({ userId: second.admin.user })).items.map((k) => k.fingerprint)).toEqual([second.admin.fingerprint]);
  });

  it('refuses a damaged store with a message saying what to do', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, STORE_FILE), '{"formatVersion": 1, "tenancy": 3');
    await expect(startOciEmulator({ dataDir })).rejects.toThrow(/store\.json` to hold JSON; remove it to start afresh/);
  });

  it('delays every response by latencyMs', async () => {
    const emu = await started({ latencyMs: 150 });
    const client = clientOf(emu);
    const t0 = performance.now();
    await client.listApiKeys({ userId: emu.admin.user });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('failRate=1 answers 429 TooManyRequests or 500 InternalServerError with an OCI error body', async () => {
    const emu = await started({ failRate: 1, seed: 7 });
    const client = clientOf(emu);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const err = await sdkError(client.listApiKeys({ userId: emu.admin.user }));
      expect([429, 500]).toContain(err.statusCode);
      expect(err.serviceCode).toBe(err.statusCode === 429 ? 'TooManyRequests' : 'InternalServerError');
      expect(err.opcRequestId).toBeTruthy();
      seen.add(err.serviceCode);
    }
    expect(seen.size).toBe(2);
    expect(emu.requestLog.every((e) => e.status === 429 || e.status === 500)).toBe(true);
  });

  it('injects the same faults for the same seed', () => {
    const run = (seed: number): number[] => {
      const faults = new FaultInjector(0.5, seed, injectedFault);
      return Array.from({ length: 20 }, () => faults.next()?.status ?? 200);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    expect(new Set(run(42))).toEqual(new Set([200, 429, 500]));
  });

  it('takes keyLimit and limitError from the options', async () => {
    const emu = await started({ keyLimit: 1, limitError: { status: 409, code: 'QuotaExceeded' } });
    const err = await sdkError(clientOf(emu).uploadApiKey({ userId: emu.admin.user, createApiKeyDetails: { key: pair.publicKeyPem } }));
    expect([err.statusCode, err.serviceCode]).toEqual([409, 'QuotaExceeded']);
  });

  it('answers 404 for a user it does not know unless autoCreateUsers is on', async () => {
    const err = await sdkError(clientOf(plain).listApiKeys({ userId: 'ocid1.user.oc1..aaaaaaaafresh' }));
    expect([err.statusCode, err.serviceCode]).toEqual([404, 'NotAuthorizedOrNotFound']);
  });

  it('deleteKeyOutOfBand simulates drift the API then reports', async () => {
    const user = await plain.addUser();
    plain.deleteKeyOutOfBand(user.user, user.fingerprint);
    expect((await clientOf(plain).listApiKeys({ userId: user.user })).items).toEqual([]);
    expect(() => plain.deleteKeyOutOfBand(user.user, user.fingerprint)).toThrow(/to hold a key/);
  });

  it('logs method, path and status, and never a body or a signature', async () => {
    const before = plain.requestLog.length;
    const up = await clientOf(plain).uploadApiKey({ userId: plain.admin.user, createApiKeyDetails: { key: pair.publicKeyPem } });
    plain.deleteKeyOutOfBand(plain.admin.user, String(up.apiKey.fingerprint));
    expect(plain.requestLog.slice(before)).toEqual([{ method: 'POST', path: `/20160918/users/${plain.admin.user}/apiKeys`, status: 200 }]);
    expect(JSON.stringify(plain.requestLog)).not.toMatch(/PUBLIC KEY|Signature /);
  });

  it('answers unknown paths with 404 NotFound and wrong methods with 405', async () => {
    const notFound = await fetch(`${plain.url}/20160918/users`);
    expect([notFound.status, await notFound.json()]).toEqual([404, { code: 'NotFound', message: expect.any(String) }]);
    const wrong = await fetch(`${plain.url}/20160918/users/${plain.admin.user}/apiKeys`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('opc-request-id')).toBeTruthy();
  });

  it('rejects nonsensical options', async () => {
    await expect(startOciEmulator({ failRate: 2 })).rejects.toThrow(/failRate/);
    await expect(startOciEmulator({ keyLimit: 0 })).rejects.toThrow(/keyLimit/);
  });
});
