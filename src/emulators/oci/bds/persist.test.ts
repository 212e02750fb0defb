import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type * as bds from 'oci-bds';
import { startOciEmulator, type OciEmulator, type OciEmulatorOptions } from '../index.js';
import { sdkError } from '../testing/sdk.js';
import { fastWaiters, testBdsClient } from './test-client.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-bds-emu-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((p) => statSync(p).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

interface Session {
  readonly emu: OciEmulator;
  readonly client: bds.BdsClient;
  readonly waiters: bds.BdsWaiter;
  /** Closes client and emulator (once; also run when the test finishes). */
  stop(): Promise<void>;
}

async function session(options: OciEmulatorOptions): Promise<Session> {
  const emu = await startOciEmulator(options);
  const client = testBdsClient(emu.admin, emu.url);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      client.close();
      await emu.close();
    })();
    return stopped;
  };
  onTestFinished(stop);
  return { emu, client, waiters: fastWaiters(client), stop };
}

async function waitFor(s: Session, workRequestId: string): Promise<bds.models.WorkRequest> {
  return (await s.waiters.forWorkRequest({ workRequestId })).workRequest;
}

const user = 'ocid1.user.oc1..aaaaaaaapersisted';
const cluster = 'ocid1.bigdataservice.oc1.iad.amaaaaaapersisted';

describe('BDS emulator data', () => {
  it('survives a restart and never holds the passphrase in data files or the request log', async () => {
    const dataDir = tempDir();
    // Unique per run, so finding it anywhere can only mean it was stored.
    const passphrase = `pp${randomBytes(16).toString('hex')}`;
    const wrong = `pp${randomBytes(16).toString('hex')}`;
    const first = await session({ dataDir, autoCreateUsers: true, bds: { autoCreateClusters: true } });
    const created = await first.client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: { userId: user, passphrase, keyAlias: 'kept' } });
    const wr = await waitFor(first, created.opcWorkRequestId);
    const keyId = wr.resources[0]?.identifier ?? '';
    for (const pass of [passphrase, wrong]) {
      await first.client.testBdsObjectStorageConnection({
        bdsInstanceId: cluster,
        apiKeyId: keyId,
        testBdsObjectStorageConnectionDetails: { objectStorageUri: 'oci://b@ns/', passphrase: pass },
      });
    }
    const log = JSON.stringify(first.emu.requestLog);
    await first.stop();

    const files = filesUnder(dataDir);
    expect(files.map((f) => f.path)).toContain(join(dataDir, 'store.json'));
    const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
    for (const secret of [passphrase, wrong, Buffer.from(passphrase).toString('base64'), sha(passphrase), sha(wrong)]) {
      expect(log).not.toContain(secret);
      for (const f of files) expect(f.text, f.path).not.toContain(secret);
    }
    // The service keeps the private key on the cluster; the emulator keeps none.
    expect(readFileSync(join(dataDir, 'store.json'), 'utf8')).not.toContain('PRIVATE KEY');
    expect(() => first.emu.passphraseLog).toThrow(/never stored or logged/);

    const second = await session({ dataDir, autoCreateUsers: true });
    expect(second.emu.listBdsKeys(cluster)).toEqual([expect.objectContaining({ id: keyId, keyAlias: 'kept', userId: user, lifecycleState: 'ACTIVE' })]);
    expect((await second.client.getWorkRequest({ workRequestId: created.opcWorkRequestId })).workRequest.status).toBe('SUCCEEDED');
    // The salted hash came back with the key: the right passphrase still opens it.
    const again = await second.client.testBdsObjectStorageConnection({
      bdsInstanceId: cluster,
      apiKeyId: keyId,
      testBdsObjectStorageConnectionDetails: { objectStorageUri: 'oci://b@ns/', passphrase },
    });
    expect((await waitFor(second, again.opcWorkRequestId)).status).toBe('SUCCEEDED');
    // Auto-created clusters are stored: this one exists although autoCreateClusters is off now.
    expect((await second.client.listBdsApiKeys({ bdsInstanceId: cluster })).items).toHaveLength(1);
  });

  it('fails create and delete work requests at failWorkRequests=1 with an error entry; the key stays as it was', async () => {
    const dataDir = tempDir();
    const healthy = await session({ dataDir, autoCreateUsers: true });
    healthy.emu.addCluster(cluster);
    const ok = await healthy.client.createBdsApiKey({
      bdsInstanceId: cluster,
      createBdsApiKeyDetails: { userId: user, passphrase: 'c2VjcmV0', keyAlias: 'stays' },
    });
    const keyId = (await waitFor(healthy, ok.opcWorkRequestId)).resources[0]?.identifier ?? '';
    await healthy.stop();

    const faulty = await session({ dataDir, autoCreateUsers: true, bds: { failWorkRequests: 1 } });
    const del = await faulty.client.deleteBdsApiKey({ bdsInstanceId: cluster, apiKeyId: keyId });
    const create = await faulty.client.createBdsApiKey({
      bdsInstanceId: cluster,
      createBdsApiKeyDetails: { userId: user, passphrase: 'c2VjcmV0', keyAlias: 'never' },
    });
    for (const id of [del.opcWorkRequestId, create.opcWorkRequestId]) {
      expect((await waitFor(faulty, id)).status).toBe('FAILED');
      const errors = (await faulty.client.listWorkRequestErrors({ workRequestId: id })).items;
      expect(errors.map((e) => e.code)).toEqual(['InternalServerError']);
    }
    expect(faulty.emu.listBdsKeys(cluster).map((k) => [k.keyAlias, k.lifecycleState])).toEqual([['stays', 'ACTIVE']]);
  });

  it('keeps work requests IN_PROGRESS (key CREATING, then DELETING) for workRequestPolls GETs', async () => {
    const s = await session({ autoCreateUsers: true, bds: { workRequestPolls: 2 } });
    const c = s.emu.addCluster();
    const res = await s.client.createBdsApiKey({ bdsInstanceId: c, createBdsApiKeyDetails: { userId: user, passphrase: 'cA==', keyAlias: 'slow' } });
    expect(s.emu.listBdsKeys(c).map((k) => k.lifecycleState)).toEqual(['CREATING']);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const wr = (await s.client.getWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest;
      seen.push(`${wr.status}:${wr.timeFinished === undefined ? 'open' : 'done'}`);
    }
    expect(seen).toEqual(['IN_PROGRESS:open', 'IN_PROGRESS:open', 'SUCCEEDED:done']);
    const keyId = s.emu.listBdsKeys(c)[0]?.id ?? '';
    // Deleting a key whose delete is already running is refused.
    const del = await s.client.deleteBdsApiKey({ bdsInstanceId: c, apiKeyId: keyId });
    expect((await s.client.getBdsApiKey({ bdsInstanceId: c, apiKeyId: keyId })).bdsApiKey.lifecycleState).toBe('DELETING');
    expect((await sdkError(s.client.deleteBdsApiKey({ bdsInstanceId: c, apiKeyId: keyId }))).statusCode).toBe(409);
    expect((await waitFor(s, del.opcWorkRequestId)).status).toBe('SUCCEEDED');
    expect(s.emu.listBdsKeys(c)).toEqual([]);
  });
});
