import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import * as identity from 'oci-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_AUTHENTICATED_MESSAGE, NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE } from './errors.js';
import { startOciEmulator, writeSandboxSession, type OciEmulator } from './index.js';
import { sdkError } from './testing/sdk.js';
import { testKeyPairs, type TestKeyPair } from './testing/keys.js';

// The SDK's own SessionAuthDetailProvider reads a profile as `oci session authenticate`
// writes it and signs with keyId="ST$<token>"; the emulator must accept exactly the
// tokens its issuer signed, unexpired, with requests signed by the token's session key.
describe('OCI emulator session tokens through the SDK', () => {
  let emu: OciEmulator;
  let dir: string;
  let pairs: TestKeyPair[];
  const user = 'ocid1.user.oc1..sessionuser';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-oci-st-'));
    [emu, pairs] = await Promise.all([startOciEmulator({ autoCreateUsers: true }), testKeyPairs(2)]);
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pair = (i: number): TestKeyPair => pairs[i] as TestKeyPair;

  /** A client signing with the SDK's session provider from a profile holding `token` and key `i`. */
  function sessionClient(token: string, keyIndex: number, name: string): identity.IdentityClient {
    const keyFile = join(dir, `${name}.pem`);
    const tokenFile = join(dir, `${name}.token`);
    writeFileSync(keyFile, pair(keyIndex).privateKeyPem);
    writeFileSync(tokenFile, token);
    const config = join(dir, `${name}.config`);
    const profile = [
      `[S]`,
      `fingerprint=00:00`,
      `key_file=${keyFile}`,
      `tenancy=${emu.admin.tenancy}`,
      `region=us-ashburn-1`,
      `security_token_file=${tokenFile}`,
    ];
    writeFileSync(config, profile.join('\n') + '\n');
    const client = new identity.IdentityClient(
      { authenticationDetailsProvider: new common.SessionAuthDetailProvider(config, 'S') },
      { retryConfiguration: common.NoRetryConfigurationDetails, circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) },
    );
    client.endpoint = emu.url;
    return client;
  }

  const refusedDetail = (): string | undefined => emu.requestLog.at(-1)?.detail;

  it('accepts a token it issued and acts as the token subject', async () => {
    const client = sessionClient(emu.mintSessionToken(pair(0).publicKeyPem, { userId: user }), 0, 'ok');
    expect((await client.listApiKeys({ userId: user })).items).toEqual([]);
    // The subject is not the admin: another user's keys stay out of reach.
    const err = await sdkError(client.listApiKeys({ userId: emu.admin.user }));
    expect([err.statusCode, err.serviceCode, err.message]).toEqual([404, 'NotAuthorizedOrNotFound', NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE]);
    const up = await client.uploadApiKey({ userId: user, createApiKeyDetails: { key: pair(1).publicKeyPem } });
    expect(up.apiKey.userId).toBe(user);
    client.close();
  });

  const refusals: [string, (token: string) => string, number, string][] = [
    ['a tampered token (subject changed to the admin)', (t) => tamper(t, { sub: emu.admin.user }), 0, 'security token was not signed by this emulator'],
    [
      'a token signed with another key',
      (t) => t.replace(/\.[^.]+$/, '.' + Buffer.from('forged').toString('base64url')),
      0,
      'security token was not signed by this emulator',
    ],
    ['a request signed with a key other than the token jwk', (t) => t, 1, 'signature does not verify with the named key'],
    ['a string that is no JWT', () => 'not-a-token', 0, 'security token is not a JWT'],
  ];
  it.each(refusals)('refuses %s with the 401 NotAuthenticated body', async (_, change, keyIndex, detail) => {
    const token = emu.mintSessionToken(pair(0).publicKeyPem, { userId: user });
    const client = sessionClient(change(token), keyIndex, 'bad');
    const err = await sdkError(client.listApiKeys({ userId: user }));
    expect([err.statusCode, err.serviceCode, err.message]).toEqual([401, 'NotAuthenticated', NOT_AUTHENTICATED_MESSAGE]);
    expect(refusedDetail()).toBe(detail);
    client.close();
  });

  it('refuses an expired token and one from another emulator', async () => {
    const expired = sessionClient(emu.mintSessionToken(pair(0).publicKeyPem, { userId: user, ttlMs: -1000 }), 0, 'old');
    expect((await sdkError(expired.listApiKeys({ userId: user }))).statusCode).toBe(401);
    expect(refusedDetail()).toBe('security token has expired');
    const other = await startOciEmulator();
    const foreign = sessionClient(other.mintSessionToken(pair(0).publicKeyPem), 0, 'foreign');
    await other.close();
    expect((await sdkError(foreign.listApiKeys({ userId: user }))).statusCode).toBe(401);
    expect(refusedDetail()).toBe('security token was not signed by this emulator');
    expired.close();
    foreign.close();
  });

  it('verifies a session written by `sandbox session-token` in an emulator started later on the same data folder', async () => {
    const dataDir = join(dir, 'sandbox-oci');
    const configFile = join(dir, 'sandbox-config');
    writeFileSync(configFile, '[OTHER]\nuser=ocid1.user.oc1..x\n');
    const session = await writeSandboxSession({ dataDir, configFile, profile: 'SESSION' });
    const later = await startOciEmulator({ dataDir });
    expect(session.user).toBe(later.admin.user);
    const text = readFileSync(configFile, 'utf8');
    expect(text).toContain('[OTHER]\nuser=ocid1.user.oc1..x\n');
    const section = text.slice(text.indexOf('[SESSION]'));
    expect(section).toContain('security_token_file=');
    expect(section).not.toMatch(/^user=/m);
    const client = new identity.IdentityClient(
      { authenticationDetailsProvider: new common.SessionAuthDetailProvider(configFile, 'SESSION') },
      { retryConfiguration: common.NoRetryConfigurationDetails },
    );
    client.endpoint = later.url;
    expect((await client.listApiKeys({ userId: later.admin.user })).items).toHaveLength(1);
    client.close();
    await later.close();
    await expect(writeSandboxSession({ dataDir, configFile, profile: 'OTHER' })).rejects.toThrow(/already has a profile \[OTHER\]/);
  });
});

/** `token` with its payload claims changed and the signature kept. */
function tamper(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}
