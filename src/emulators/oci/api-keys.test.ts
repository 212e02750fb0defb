import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as identity from 'oci-identity';
import { startOciEmulator, type OciEmulator } from './index.js';
import { sdkError, testIdentityClient } from './testing/sdk.js';
import { independentFingerprint, testKeyPairs, type TestKeyPair } from './testing/keys.js';
import { NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE } from './errors.js';

/** A user OCID nobody has used yet (the emulator below accepts any, like the sandbox). */
const freshUser = (): string => `ocid1.user.oc1..aaaaaaaa${randomBytes(20).toString('hex')}`;

// The official SDK against the emulator: every answer must be one the real client accepts.
// Keys are generated once and reused across users (a public key may belong to several).
describe('OCI Identity emulator through the official SDK', () => {
  let emu: OciEmulator;
  let admin: identity.IdentityClient;
  let pairs: TestKeyPair[];
  let weak: TestKeyPair;

  beforeAll(async () => {
    let weakPairs: TestKeyPair[];
    [emu, pairs, weakPairs] = await Promise.all([startOciEmulator({ autoCreateUsers: true }), testKeyPairs(4), testKeyPairs(1, 1024)]);
    weak = weakPairs[0] as TestKeyPair;
    admin = testIdentityClient(emu.admin, emu.url);
  });
  afterAll(async () => {
    admin.close();
    await emu.close();
  });

  const key = (i: number): TestKeyPair => pairs[i] as TestKeyPair;
  const upload = (userId: string, pem: string, opcRetryToken?: string): Promise<identity.responses.UploadApiKeyResponse> =>
    admin.uploadApiKey({ userId, createApiKeyDetails: { key: pem }, ...(opcRetryToken === undefined ? {} : { opcRetryToken }) });

  it('lists a bare array the SDK exposes as items, admin key included', async () => {
    const res = await admin.listApiKeys({ userId: emu.admin.user });
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).toMatchObject({
      fingerprint: emu.admin.fingerprint,
      userId: emu.admin.user,
      keyId: `${emu.admin.tenancy}/${emu.admin.user}/${emu.admin.fingerprint}`,
      lifecycleState: 'ACTIVE',
    });
    expect(res.opcRequestId).toMatch(/^[0-9A-Za-z-]+\/[0-9A-F]{32}\/[0-9A-F]{32}$/);
  });

  it('uploads as CREATING, lists it ACTIVE, deletes it', async () => {
    const user = freshUser();
    const up = await upload(user, key(0).publicKeyPem);
    const fp = independentFingerprint(key(0).publicKeyPem);
    expect(up.apiKey).toMatchObject({
      fingerprint: fp,
      userId: user,
      keyId: `${emu.admin.tenancy}/${user}/${fp}`,
      lifecycleState: 'CREATING',
      keyValue: key(0).publicKeyPem.trimEnd(),
    });
    expect(up.apiKey.keyValue?.endsWith('\n')).toBe(false);
    expect(String(up.apiKey.timeCreated)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(up.etag).toBeTruthy();

    const listed = await admin.listApiKeys({ userId: user });
    expect(listed.items.map((k) => [k.fingerprint, k.lifecycleState])).toEqual([[fp, 'ACTIVE']]);

    // The SDK percent-encodes the fingerprint (`%3A`); the emulator decodes it.
    await admin.deleteApiKey({ userId: user, fingerprint: fp });
    expect(emu.listKeys(user)).toEqual([]);
    expect(emu.requestLog.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    expect(emu.requestLog.at(-1)?.path).toContain('%3A');
  });

  it('rejects a 4th key with 400 LimitExceeded', async () => {
    const user = freshUser();
    for (const i of [0, 1, 2]) await upload(user, key(i).publicKeyPem);
    const err = await sdkError(upload(user, key(3).publicKeyPem));
    expect([err.statusCode, err.serviceCode]).toEqual([400, 'LimitExceeded']);
    expect(err.opcRequestId).toBeTruthy();
    expect(emu.listKeys(user)).toHaveLength(3);
  });

  it('counts the admin\u2019s own bootstrap key against its limit', async () => {
    const fps = [1, 2].map((i) => independentFingerprint(key(i).publicKeyPem));
    for (const i of [1, 2]) await upload(emu.admin.user, key(i).publicKeyPem);
    try {
      const err = await sdkError(upload(emu.admin.user, key(3).publicKeyPem));
      expect(err.serviceCode).toBe('LimitExceeded');
    } finally {
      for (const fp of fps) await admin.deleteApiKey({ userId: emu.admin.user, fingerprint: fp });
    }
  });

  it('rejects a duplicate fingerprint with 409 Conflict', async () => {
    const user = freshUser();
    await upload(user, key(0).publicKeyPem);
    const err = await sdkError(upload(user, `${key(0).publicKeyPem}\n\n`));
    expect([err.statusCode, err.serviceCode]).toEqual([409, 'Conflict']);
  });

  it('rejects a 1024-bit key, a private key and an ssh-rsa key with 400 InvalidParameter', async () => {
    const user = freshUser();
    for (const bad of [weak.publicKeyPem, key(0).privateKeyPem, 'ssh-rsa AAAAB3NzaC1yc2E user@host']) {
      const err = await sdkError(upload(user, bad));
      expect([err.statusCode, err.serviceCode]).toEqual([400, 'InvalidParameter']);
    }
    expect(emu.listKeys(user)).toEqual([]);
  });

  it('answers 404 NotAuthorizedOrNotFound for an unknown key and a non-user id', async () => {
    const del = await sdkError(admin.deleteApiKey({ userId: emu.admin.user, fingerprint: independentFingerprint(key(3).publicKeyPem) }));
    expect([del.statusCode, del.serviceCode, del.message]).toEqual([404, 'NotAuthorizedOrNotFound', NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE]);
    const list = await sdkError(admin.listApiKeys({ userId: 'ocid1.group.oc1..aaaaaaaanotauser' }));
    expect([list.statusCode, list.serviceCode]).toEqual([404, 'NotAuthorizedOrNotFound']);
  });

  it('lets a user manage its own keys but not another user\u2019s', async () => {
    const [alice, bob] = await Promise.all([emu.addUser(), emu.addUser()]);
    const asAlice = testIdentityClient(alice, emu.url);
    try {
      const own = await asAlice.listApiKeys({ userId: alice.user });
      expect(own.items.map((k) => k.fingerprint)).toEqual([alice.fingerprint]);
      const up = await asAlice.uploadApiKey({ userId: alice.user, createApiKeyDetails: { key: key(0).publicKeyPem } });
      await asAlice.deleteApiKey({ userId: alice.user, fingerprint: String(up.apiKey.fingerprint) });
      for (const call of [
        () => asAlice.listApiKeys({ userId: bob.user }),
        () => asAlice.uploadApiKey({ userId: bob.user, createApiKeyDetails: { key: key(0).publicKeyPem } }),
        () => asAlice.deleteApiKey({ userId: bob.user, fingerprint: bob.fingerprint }),
        () => asAlice.listApiKeys({ userId: emu.admin.user }),
      ]) {
        const err = await sdkError(call());
        expect([err.statusCode, err.serviceCode]).toEqual([404, 'NotAuthorizedOrNotFound']);
      }
      expect(emu.listKeys(bob.user)).toHaveLength(1);
    } finally {
      asAlice.close();
    }
  });

  it('replays an upload with the same opc-retry-token and refuses the token for another body', async () => {
    const user = freshUser();
    const token = 'keyplan-intent-0001';
    const first = await upload(user, key(1).publicKeyPem, token);
    const again = await upload(user, key(1).publicKeyPem, token);
    expect(again.apiKey).toEqual(first.apiKey);
    expect(again.etag).toBe(first.etag);
    expect(again.opcRequestId).not.toBe(first.opcRequestId);
    expect(emu.listKeys(user)).toHaveLength(1);

    const err = await sdkError(upload(user, key(2).publicKeyPem, token));
    expect([err.statusCode, err.serviceCode]).toEqual([409, 'InvalidatedRetryToken']);
  });

  it('keeps a new key CREATING until activateAfterMs passed', async () => {
    const slow = await startOciEmulator({ activateAfterMs: 300 });
    const client = testIdentityClient(slow.admin, slow.url);
    try {
      const up = await client.uploadApiKey({ userId: slow.admin.user, createApiKeyDetails: { key: key(0).publicKeyPem } });
      const state = async (): Promise<string | undefined> =>
        (await client.listApiKeys({ userId: slow.admin.user })).items.find((k) => k.fingerprint === up.apiKey.fingerprint)?.lifecycleState;
      expect(await state()).toBe('CREATING');
      await new Promise((r) => setTimeout(r, 350));
      expect(await state()).toBe('ACTIVE');
    } finally {
      client.close();
      await slow.close();
    }
  });
});
