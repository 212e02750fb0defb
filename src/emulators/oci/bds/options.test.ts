import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type * as bds from 'oci-bds';
import { startOciEmulator, type OciEmulator, type OciEmulatorOptions } from '../index.js';
import { resetSandbox, startSandbox } from '../../sandbox.js';
import { sdkError, testIdentityClient } from '../testing/sdk.js';
import { resolveBdsOptions } from './options.js';
import { fastWaiters, testBdsClient } from './test-client.js';

const freshUser = (): string => `ocid1.user.oc1..aaaaaaaa${randomBytes(20).toString('hex')}`;

async function started(options: OciEmulatorOptions): Promise<{ emu: OciEmulator; client: bds.BdsClient }> {
  const emu = await startOciEmulator(options);
  const client = testBdsClient(emu.admin, emu.url);
  onTestFinished(async () => {
    client.close();
    await emu.close();
  });
  return { emu, client };
}

const details = (keyAlias: string, passphrase = 'c2VjcmV0'): bds.models.CreateBdsApiKeyDetails => ({ userId: freshUser(), passphrase, keyAlias });

describe('BDS emulator options', () => {
  it('with sharedSlots off keeps BDS keys out of ListApiKeys and out of the IAM limit', async () => {
    const { emu, client } = await started({ autoCreateUsers: true, keyLimit: 1, bds: { sharedSlots: false } });
    const cluster = emu.addCluster();
    const userId = freshUser();
    const waiters = fastWaiters(client);
    for (const keyAlias of ['a', 'b']) {
      const res = await client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: { userId, passphrase: 'cA==', keyAlias } });
      expect((await waiters.forWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest.status).toBe('SUCCEEDED');
    }
    const iam = testIdentityClient(emu.admin, emu.url);
    onTestFinished(() => iam.close());
    expect((await iam.listApiKeys({ userId })).items).toEqual([]);
    expect(emu.listBdsKeys(cluster)).toHaveLength(2);
  });

  it('refuses a non-base64 passphrase only with validateBase64Passphrase, without echoing it', async () => {
    const strict = await started({ autoCreateUsers: true, bds: { autoCreateClusters: true, validateBase64Passphrase: true } });
    const cluster = 'ocid1.bigdataservice.oc1.iad.amaaaaaastrict';
    const plain = `not base64 ${randomBytes(6).toString('hex')}!`;
    const err = await sdkError(strict.client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: details('x', plain) }));
    expect([err.statusCode, err.serviceCode]).toEqual([400, 'InvalidParameter']);
    expect(err.message).not.toContain(plain);
    await strict.client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: details('y', 'c2VjcmV0') });

    const lax = await started({ autoCreateUsers: true });
    const c = lax.emu.addCluster();
    await lax.client.createBdsApiKey({ bdsInstanceId: c, createBdsApiKeyDetails: details('x', plain) });
    const empty = await sdkError(lax.client.createBdsApiKey({ bdsInstanceId: c, createBdsApiKeyDetails: details('z', '') }));
    expect(empty.serviceCode).toBe('InvalidParameter');
  });

  it('answers bad and taken aliases with the configured errors', async () => {
    const { emu, client } = await started({
      autoCreateUsers: true,
      bds: { invalidAliasError: { status: 422, code: 'InvalidAlias' }, duplicateAliasError: { status: 400, code: 'AliasTaken' } },
    });
    const cluster = emu.addCluster();
    const bad = await sdkError(client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: details('no way') }));
    expect([bad.statusCode, bad.serviceCode]).toEqual([422, 'InvalidAlias']);
    await client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: details('taken') });
    const dup = await sdkError(client.createBdsApiKey({ bdsInstanceId: cluster, createBdsApiKeyDetails: details('taken') }));
    expect([dup.statusCode, dup.serviceCode]).toEqual([400, 'AliasTaken']);
  });

  it('rejects nonsensical option values and cluster ids as programmer errors', () => {
    expect(() => resolveBdsOptions({ failWorkRequests: 1.5 })).toThrow(/failWorkRequests/);
    expect(() => resolveBdsOptions({ workRequestPolls: -1 })).toThrow(/workRequestPolls/);
    expect(() => resolveBdsOptions({ duplicateAliasError: { status: 200, code: 'X' } })).toThrow(/duplicateAliasError/);
    expect(resolveBdsOptions()).toMatchObject({ sharedSlots: true, workRequestPolls: 0, failWorkRequests: 0, validateBase64Passphrase: false });
  });

  it('is served by the sandbox\u2019s oci endpoint, with clusters created on first use', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyplan-bds-sandbox-'));
    onTestFinished(() => resetSandbox(dataDir));
    const sandbox = await startSandbox({ dataDir });
    onTestFinished(() => sandbox.close());
    const oci = sandbox.endpoints['oci'];
    const c = oci?.credentials ?? {};
    const client = testBdsClient(
      {
        tenancy: c['tenancy'] ?? '',
        user: c['user'] ?? '',
        fingerprint: c['fingerprint'] ?? '',
        privateKeyPem: c['privateKeyPem'] ?? '',
        region: c['region'] ?? '',
      },
      oci?.url ?? '',
    );
    onTestFinished(() => client.close());
    const bdsInstanceId = 'ocid1.bigdataservice.oc1.iad.amaaaaaasandbox';
    const res = await client.createBdsApiKey({ bdsInstanceId, createBdsApiKeyDetails: details('sandbox') });
    expect((await fastWaiters(client).forWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest.status).toBe('SUCCEEDED');
    expect((await client.listBdsApiKeys({ bdsInstanceId })).items.map((k) => k.keyAlias)).toEqual(['sandbox']);
    // Only BDS cluster OCIDs are auto-created.
    expect((await sdkError(client.listBdsApiKeys({ bdsInstanceId: 'ocid1.instance.oc1.iad.amaaaaaa' }))).statusCode).toBe(404);
  });
});
