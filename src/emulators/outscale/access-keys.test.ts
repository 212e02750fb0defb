import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator, type OutscaleEmulator, type OutscaleEmulatorOptions } from './index.js';
import { firstError, oscCall, type CallAnswer } from './testing/client.js';

async function emulator(options: OutscaleEmulatorOptions = {}): Promise<OutscaleEmulator> {
  const emu = await startOutscaleEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

type Key = Record<string, string>;
const OSC_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const call = (emu: OutscaleEmulator, action: string, params: unknown): Promise<CallAnswer> => oscCall(emu.url, action, params, { sign: emu.account });
const keyOf = (r: CallAnswer): Key => r.body['AccessKey'] as Key;
const keysOf = (r: CallAnswer): Key[] => r.body['AccessKeys'] as Key[];
const errorOf = (r: CallAnswer): [number, unknown, unknown] => [r.status, firstError(r).Code, firstError(r).Type];

describe('CreateAccessKey', () => {
  it('returns an ACTIVE key with a 20/40 upper-case alphanumeric id/secret, dates, expiry and Tag', async () => {
    const emu = await emulator();
    const r = await call(emu, 'CreateAccessKey', { ExpirationDate: '2063-04-05', Tag: 'keyplan:ci' });
    expect(r.status).toBe(200);
    const k = keyOf(r);
    expect(k['AccessKeyId']).toMatch(/^[A-Z0-9]{20}$/);
    expect(k['SecretKey']).toMatch(/^[A-Z0-9]{40}$/);
    expect(k).toMatchObject({ State: 'ACTIVE', ExpirationDate: '2063-04-05T00:00:00.000+0000', Tag: 'keyplan:ci' });
    expect(k['CreationDate']).toMatch(OSC_DATE);
    expect(k['LastModificationDate']).toBe(k['CreationDate']);
    // The new key signs at once.
    const own = { accessKey: k['AccessKeyId'] ?? '', secretKey: k['SecretKey'] ?? '', region: 'eu-west-2' };
    expect((await oscCall(emu.url, 'ReadAccounts', {}, { sign: own })).status).toBe(200);
  });

  it('omits ExpirationDate when there is none and accepts a date-time with offset', async () => {
    const emu = await emulator();
    expect(keyOf(await call(emu, 'CreateAccessKey', {}))).not.toHaveProperty('ExpirationDate');
    const k = keyOf(await call(emu, 'CreateAccessKey', { ExpirationDate: '2063-04-05T02:00:00.000+02:00' }));
    expect(k['ExpirationDate']).toBe('2063-04-05T00:00:00.000+0000');
  });

  it('refuses bad input: empty, malformed and past ExpirationDate, unknown fields', async () => {
    const emu = await emulator();
    const empty = await call(emu, 'CreateAccessKey', { ExpirationDate: '' });
    expect(errorOf(empty)).toEqual([400, '4108', 'InvalidParameterType']);
    expect(firstError(empty).Details).toBe('The parameter type of ExpirationDate is unknown.');
    expect(errorOf(await call(emu, 'CreateAccessKey', { ExpirationDate: 'soon' }))).toEqual([400, '4047', 'InvalidParameterValue']);
    expect(errorOf(await call(emu, 'CreateAccessKey', { ExpirationDate: '2020-01-01' }))).toEqual([400, '4047', 'InvalidParameterValue']);
    expect(errorOf(await call(emu, 'CreateAccessKey', { Tags: 'x' }))).toEqual([400, '4045', 'InvalidParameter']);
    expect(errorOf(await call(emu, 'CreateAccessKey', { Tag: 7 }))).toEqual([400, '4108', 'InvalidParameterType']);
    expect(emu.listAccessKeys()).toHaveLength(1);
  });

  it('refuses the 11th key of the account and of an EIM user with 10005', async () => {
    const emu = await emulator();
    emu.addUser('ci');
    // The account starts with its bootstrap key.
    for (let i = 1; i < 10; i++) expect((await call(emu, 'CreateAccessKey', {})).status).toBe(200);
    const over = await call(emu, 'CreateAccessKey', {});
    expect(errorOf(over)).toEqual([400, '10005', 'TooManyResources (QuotaExceded)']);
    expect(over.text).not.toMatch(/SecretKey/);
    for (let i = 0; i < 10; i++) expect((await call(emu, 'CreateAccessKey', { UserName: 'ci' })).status).toBe(200);
    expect(errorOf(await call(emu, 'CreateAccessKey', { UserName: 'ci' }))[1]).toBe('10005');
    // INACTIVE keys count too.
    expect(emu.listAccessKeys()).toHaveLength(10);
    expect(emu.listAccessKeys('ci')).toHaveLength(10);
  });

  it('knows only existing EIM users unless autoCreateUsers; DryRun changes nothing', async () => {
    const strict = await emulator();
    expect(errorOf(await call(strict, 'CreateAccessKey', { UserName: 'ghost' }))).toEqual([400, '5075', 'InvalidResource']);
    expect(await call(strict, 'CreateAccessKey', { DryRun: true })).toMatchObject({ status: 200, body: { ResponseContext: expect.any(Object) } });
    expect(strict.listAccessKeys()).toHaveLength(1);
    const lax = await emulator({ autoCreateUsers: true });
    expect((await call(lax, 'CreateAccessKey', { UserName: 'ghost' })).status).toBe(200);
    expect(lax.listAccessKeys('ghost')).toHaveLength(1);
  });

  it('enforces MaxAccessKeyExpirationSeconds and reports it in ReadApiAccessPolicy', async () => {
    const emu = await emulator({ maxAccessKeyExpirationSeconds: 86_400 });
    const policy = await call(emu, 'ReadApiAccessPolicy', {});
    expect(policy.body['ApiAccessPolicy']).toEqual({ MaxAccessKeyExpirationSeconds: 86_400, RequireTrustedEnv: false });
    expect(errorOf(await call(emu, 'CreateAccessKey', {}))[1]).toBe('4047');
    const far = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(errorOf(await call(emu, 'CreateAccessKey', { ExpirationDate: far }))[1]).toBe('4047');
    const near = new Date(Date.now() + 3_600_000).toISOString();
    expect((await call(emu, 'CreateAccessKey', { ExpirationDate: near })).status).toBe(200);
  });
});

describe('ReadAccessKeys', () => {
  it('never returns SecretKey, and filters by ids, states and Tag (unknown ids → empty)', async () => {
    const emu = await emulator();
    const a = keyOf(await call(emu, 'CreateAccessKey', { Tag: 'keyplan:a' }));
    const b = keyOf(await call(emu, 'CreateAccessKey', {}));
    await call(emu, 'UpdateAccessKey', { AccessKeyId: b['AccessKeyId'], State: 'INACTIVE' });
    const all = await call(emu, 'ReadAccessKeys', {});
    expect(keysOf(all).map((k) => k['AccessKeyId'])).toEqual([emu.account.accessKey, a['AccessKeyId'], b['AccessKeyId']]);
    expect(all.text).not.toContain('SecretKey');
    for (const secret of [a['SecretKey'], b['SecretKey'], emu.account.secretKey]) expect(all.text).not.toContain(secret);
    const inactive = await call(emu, 'ReadAccessKeys', { Filters: { States: ['INACTIVE'] } });
    expect(keysOf(inactive).map((k) => k['AccessKeyId'])).toEqual([b['AccessKeyId']]);
    expect(keysOf(await call(emu, 'ReadAccessKeys', { Tag: 'keyplan:a' })).map((k) => k['AccessKeyId'])).toEqual([a['AccessKeyId']]);
    expect(keysOf(await call(emu, 'ReadAccessKeys', { Filters: { AccessKeyIds: ['NOSUCHKEY0000000000A'] } }))).toEqual([]);
    expect(errorOf(await call(emu, 'ReadAccessKeys', { Filters: { States: ['GONE'] } }))[1]).toBe('4047');
    expect(errorOf(await call(emu, 'ReadAccessKeys', { Filters: { Tag: 'x' } }))[1]).toBe('4045');
  });
});

describe('UpdateAccessKey', () => {
  it('clears the expiry when ExpirationDate is omitted, keeps it when re-sent, and honours ClearExpirationDate', async () => {
    const emu = await emulator();
    const id = keyOf(await call(emu, 'CreateAccessKey', { ExpirationDate: '2063-04-05', Tag: 't' }))['AccessKeyId'];
    const kept = keyOf(await call(emu, 'UpdateAccessKey', { AccessKeyId: id, State: 'INACTIVE', ExpirationDate: '2063-04-05' }));
    expect(kept).toMatchObject({ State: 'INACTIVE', ExpirationDate: '2063-04-05T00:00:00.000+0000', Tag: 't' });
    expect(kept).not.toHaveProperty('SecretKey');
    const cleared = keyOf(await call(emu, 'UpdateAccessKey', { AccessKeyId: id, State: 'ACTIVE' }));
    expect(cleared).toMatchObject({ State: 'ACTIVE', Tag: 't' });
    expect(cleared).not.toHaveProperty('ExpirationDate');
    await call(emu, 'UpdateAccessKey', { AccessKeyId: id, ExpirationDate: '2070-01-01' });
    const explicit = keyOf(await call(emu, 'UpdateAccessKey', { AccessKeyId: id, ExpirationDate: '2070-01-01', ClearExpirationDate: true, ClearTag: true }));
    expect(explicit).not.toHaveProperty('ExpirationDate');
    expect(explicit).not.toHaveProperty('Tag');
    expect(emu.listAccessKeys().find((k) => k.accessKeyId === id)).toMatchObject({ state: 'ACTIVE' });
  });

  it('refuses unknown keys (4000), a missing AccessKeyId (7000) and, when configured, a missing State', async () => {
    const emu = await emulator({ requireUpdateState: true });
    expect(errorOf(await call(emu, 'UpdateAccessKey', { AccessKeyId: 'NOSUCHKEY0000000000A', State: 'ACTIVE' }))).toEqual([
      400,
      '4000',
      'InvalidParameterValue',
    ]);
    expect(errorOf(await call(emu, 'UpdateAccessKey', { State: 'ACTIVE' }))).toEqual([400, '7000', 'MissingParameter']);
    expect(errorOf(await call(emu, 'UpdateAccessKey', { AccessKeyId: emu.account.accessKey }))[1]).toBe('7000');
  });
});

describe('DeleteAccessKey', () => {
  it("requires an EIM user's key to be INACTIVE first, but not the account's own", async () => {
    const emu = await emulator();
    emu.addUser('ci');
    const userKey = keyOf(await call(emu, 'CreateAccessKey', { UserName: 'ci' }))['AccessKeyId'];
    expect(errorOf(await call(emu, 'DeleteAccessKey', { AccessKeyId: userKey, UserName: 'ci' }))).toEqual([400, '6003', 'InvalidState']);
    await call(emu, 'UpdateAccessKey', { AccessKeyId: userKey, UserName: 'ci', State: 'INACTIVE' });
    const deleted = await call(emu, 'DeleteAccessKey', { AccessKeyId: userKey, UserName: 'ci' });
    expect(deleted.status).toBe(200);
    expect(Object.keys(deleted.body)).toEqual(['ResponseContext']);
    expect(emu.listAccessKeys('ci')).toEqual([]);

    const rootKey = keyOf(await call(emu, 'CreateAccessKey', {}))['AccessKeyId'];
    expect((await call(emu, 'DeleteAccessKey', { AccessKeyId: rootKey })).status).toBe(200);
    expect(errorOf(await call(emu, 'DeleteAccessKey', { AccessKeyId: rootKey }))[1]).toBe('4000');
    // A key is addressed within its owner: the account's key is not the user's.
    expect(errorOf(await call(emu, 'DeleteAccessKey', { AccessKeyId: emu.account.accessKey, UserName: 'ci' }))[1]).toBe('4000');
  });
});

describe('EIM users as callers', () => {
  it('manage their own keys by default and may not touch other users', async () => {
    const emu = await emulator();
    emu.addUser('ci');
    emu.addUser('other');
    const ci = emu.issueKey('ci');
    const own = await oscCall(emu.url, 'CreateAccessKey', {}, { sign: ci });
    expect(own.status).toBe(200);
    const listed = await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: ci });
    expect(keysOf(listed)).toHaveLength(2);
    expect(emu.listAccessKeys('ci')).toHaveLength(2);
    expect(emu.listAccessKeys()).toHaveLength(1);
    expect(errorOf(await oscCall(emu.url, 'ReadAccessKeys', { UserName: 'other' }, { sign: ci }))).toEqual([401, '4', 'AccessDenied']);
    // ReadAccounts names the account the user belongs to.
    const acct = await oscCall(emu.url, 'ReadAccounts', {}, { sign: ci });
    expect(acct.body['Accounts']).toEqual([expect.objectContaining({ AccountId: emu.account.accountId })]);
  });
});
