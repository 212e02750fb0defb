import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOciEmulator, type OciCredentials, type OciEmulator } from './index.js';
import { sdkError, testIdentityClient } from './testing/sdk.js';
import { independentFingerprint, testKeyPairs, type TestKeyPair } from './testing/keys.js';
import { sendTestRequest, signTestRequest, type TestSignOptions } from './testing/signer.js';
import { NOT_AUTHENTICATED_MESSAGE } from './errors.js';
import { parseAuthorization } from './signature.js';

describe('HTTP signature verification', () => {
  let emu: OciEmulator;
  let pairs: TestKeyPair[];

  beforeAll(async () => {
    [emu, pairs] = await Promise.all([startOciEmulator(), testKeyPairs(2)]);
  });
  afterAll(() => emu.close());

  const pair = (i: number): TestKeyPair => pairs[i] as TestKeyPair;
  const keyIdOf = (c: OciCredentials): string => `${c.tenancy}/${c.user}/${c.fingerprint}`;
  const listUrl = (): string => `${emu.url}/20160918/users/${emu.admin.user}/apiKeys`;
  const signed = (o: Partial<TestSignOptions>): ReturnType<typeof signTestRequest> =>
    signTestRequest({ method: 'GET', url: listUrl(), keyId: keyIdOf(emu.admin), privateKeyPem: emu.admin.privateKeyPem, ...o });

  async function expect401(res: Promise<{ status: number; text: string; headers: Record<string, unknown> }>, detail: RegExp): Promise<void> {
    const r = await res;
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text)).toEqual({ code: 'NotAuthenticated', message: NOT_AUTHENTICATED_MESSAGE });
    expect(r.headers['opc-request-id']).toBeTruthy();
    expect(emu.requestLog.at(-1)?.detail).toMatch(detail);
  }

  it('accepts a correctly signed raw request, with x-date or date, params in any order', async () => {
    for (const dateHeader of ['x-date', 'date'] as const) {
      const res = await sendTestRequest(signed({ dateHeader, extraHeaders: { 'opc-request-id': 'CLIENTREQ123' } }));
      expect(res.status).toBe(200);
      expect(Array.isArray(JSON.parse(res.text))).toBe(true);
      // The first segment of the answer's id echoes the client's own.
      expect(res.headers['opc-request-id']).toMatch(/^CLIENTREQ123\/[0-9A-F]{32}\/[0-9A-F]{32}$/);
    }
  });

  it('accepts a signed raw upload whose headers="…" uses mixed case', async () => {
    const body = JSON.stringify({ key: pair(1).publicKeyPem });
    const res = await sendTestRequest(signed({ method: 'POST', body }));
    expect(res.status).toBe(200);
    const fingerprint = independentFingerprint(pair(1).publicKeyPem);
    expect(JSON.parse(res.text)).toMatchObject({ fingerprint, lifecycleState: 'CREATING' });
    emu.deleteKeyOutOfBand(emu.admin.user, fingerprint);
  });

  it('401: the wrong private key for a known fingerprint (SDK)', async () => {
    const client = testIdentityClient({ ...emu.admin, privateKeyPem: pair(0).privateKeyPem }, emu.url);
    try {
      const err = await sdkError(client.listApiKeys({ userId: emu.admin.user }));
      expect([err.statusCode, err.serviceCode, err.message]).toEqual([401, 'NotAuthenticated', NOT_AUTHENTICATED_MESSAGE]);
      expect(emu.requestLog.at(-1)?.detail).toMatch(/does not verify/);
    } finally {
      client.close();
    }
  });

  it('401: an unknown fingerprint (SDK)', async () => {
    const client = testIdentityClient(
      { ...emu.admin, fingerprint: independentFingerprint(pair(0).publicKeyPem), privateKeyPem: pair(0).privateKeyPem },
      emu.url,
    );
    try {
      const err = await sdkError(client.listApiKeys({ userId: emu.admin.user }));
      expect([err.statusCode, err.serviceCode]).toEqual([401, 'NotAuthenticated']);
      expect(emu.requestLog.at(-1)?.detail).toMatch(/names no key/);
    } finally {
      client.close();
    }
  });

  it('401: a body changed after signing (same length, so only the digest catches it)', async () => {
    const body = JSON.stringify({ key: pair(0).publicKeyPem });
    const req = signed({ method: 'POST', body });
    // Change one character of the key: same length, different bytes.
    const at = body.indexOf('MII') + 10;
    const swapped = body[at] === 'A' ? 'B' : 'A';
    const tampered = { ...req, body: `${body.slice(0, at)}${swapped}${body.slice(at + 1)}` };
    expect(tampered.body).not.toBe(body);
    expect(Buffer.byteLength(tampered.body)).toBe(Buffer.byteLength(body));
    await expect401(sendTestRequest(tampered), /x-content-sha256/);
    expect(emu.listKeys(emu.admin.user)).toHaveLength(1);
  });

  it('401: a signed date 6 minutes off, either way', async () => {
    for (const offset of [-6, 6]) {
      await expect401(sendTestRequest(signed({ date: new Date(Date.now() + offset * 60_000) })), /clock skew/);
    }
    // 4 minutes is within the allowed 5.
    expect((await sendTestRequest(signed({ date: new Date(Date.now() - 4 * 60_000) }))).status).toBe(200);
  });

  it('401: a required header left out of the signature', async () => {
    await expect401(sendTestRequest(signed({ signedHeaders: ['x-date', '(request-target)'] })), /`host`/);
    const body = JSON.stringify({ key: pair(0).publicKeyPem });
    await expect401(
      sendTestRequest(signed({ method: 'POST', body, signedHeaders: ['x-date', '(request-target)', 'host', 'content-type', 'content-length'] })),
      /x-content-sha256/,
    );
  });

  it('401: a request signed for another path, or with no Authorization at all', async () => {
    const req = signed({ url: `${emu.url}/20160918/users/${emu.admin.user}/apiKeys?x=1` });
    await expect401(sendTestRequest({ ...req, url: listUrl() }), /does not verify/);
    await expect401(sendTestRequest({ method: 'GET', url: listUrl(), headers: {} }), /no Authorization/);
  });

  it('401: a key still CREATING cannot sign', async () => {
    const slow = await startOciEmulator({ activateAfterMs: 60_000 });
    const client = testIdentityClient(slow.admin, slow.url);
    try {
      const up = await client.uploadApiKey({
        userId: slow.admin.user,
        createApiKeyDetails: { key: pair(1).publicKeyPem },
      });
      const req = signTestRequest({
        method: 'GET',
        url: `${slow.url}/20160918/users/${slow.admin.user}/apiKeys`,
        keyId: `${slow.admin.tenancy}/${slow.admin.user}/${up.apiKey.fingerprint}`,
        privateKeyPem: pair(1).privateKeyPem,
      });
      const res = await sendTestRequest(req);
      expect(res.status).toBe(401);
      expect(slow.requestLog.at(-1)?.detail).toMatch(/not ACTIVE/);
    } finally {
      client.close();
      await slow.close();
    }
  });

  it('parses Signature parameters in any order and rejects malformed ones', () => {
    expect(parseAuthorization('Signature version="1",keyId="a/b/c",algorithm="rsa-sha256",headers="x-date host",signature="c2ln"')?.get('keyId')).toBe('a/b/c');
    expect(parseAuthorization('Signature signature="c2ln",version="1"')?.get('version')).toBe('1');
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(parseAuthorization('Signature keyId=unquoted')).toBeUndefined();
    expect(parseAuthorization('Signature a="1",a="2"')).toBeUndefined();
  });
});
