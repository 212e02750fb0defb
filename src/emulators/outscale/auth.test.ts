import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator, type OutscaleEmulator, type OutscaleEmulatorOptions } from './index.js';
import { oscCall, type CallAnswer } from './testing/client.js';

async function emulator(options: OutscaleEmulatorOptions = {}): Promise<OutscaleEmulator> {
  const emu = await startOutscaleEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The OUTSCALE error shape: Errors[{Type, Code (string), Details}] + ResponseContext.RequestId. */
function expectOscError(answer: CallAnswer, status: number, code: string, type: string): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body).sort()).toEqual(['Errors', 'ResponseContext']);
  expect(answer.body['Errors']).toEqual([{ Type: type, Code: code, Details: expect.any(String) }]);
  expect((answer.body['ResponseContext'] as { RequestId: string }).RequestId).toMatch(UUID);
}

describe('OUTSCALE emulator authentication', () => {
  it.each(['OSC4', 'AWS4'] as const)('accepts %s signatures and answers with a RequestId', async (scheme) => {
    const emu = await emulator();
    const r = await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account, scheme });
    expect(r.status).toBe(200);
    expect((r.body['ResponseContext'] as { RequestId: string }).RequestId).toMatch(UUID);
    expect(r.body['AccessKeys']).toEqual([expect.objectContaining({ AccessKeyId: emu.account.accessKey, State: 'ACTIVE' })]);
  });

  it('rebuilds from the received SignedHeaders: osc-cli style host;x-osc-date;x-osc-target on /api/latest', async () => {
    const emu = await emulator();
    const r = await oscCall(
      emu.url,
      'ReadAccounts',
      {},
      { sign: emu.account },
      { version: 'latest', headers: { 'X-Osc-Target': 'OutscaleService.ReadAccounts' } },
    );
    expect(r.status).toBe(200);
    expect(r.body['Accounts']).toEqual([expect.objectContaining({ AccountId: emu.account.accountId })]);
    expect(emu.account.accountId).toMatch(/^\d{12}$/);
  });

  it.each(['OSC4', 'AWS4'] as const)('%s: wrong secret, stale date, tampered body → 401 code 1', async (scheme) => {
    // Four failures in a row would lock the account (tested below); this test is about each check.
    const emu = await emulator({ lockoutAfter: 0 });
    const wrong = { ...emu.account, secretKey: 'X'.repeat(40) };
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: wrong, scheme }), 401, '1', 'AccessDenied');
    const stale = new Date(Date.now() - 6 * 60_000);
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account, scheme }, { now: stale }), 401, '1', 'AccessDenied');
    const future = new Date(Date.now() + 6 * 60_000);
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account, scheme }, { now: future }), 401, '1', 'AccessDenied');
    const tampered = await oscCall(
      emu.url,
      'CreateAccessKey',
      {},
      { sign: emu.account, scheme },
      { tamper: (s) => ({ ...s, body: '{"UserName":"mallory"}' }) },
    );
    expectOscError(tampered, 401, '1', 'AccessDenied');
    expect(emu.listAccessKeys()).toHaveLength(1);
    // The client is not told which check failed; the log is.
    expect(emu.requestLog.map((e) => e.detail)).toEqual([
      'signature does not match',
      expect.stringContaining('clock skew'),
      expect.stringContaining('clock skew'),
      'signature does not match',
    ]);
    // Within the window is fine (4 minutes off).
    const r = await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account, scheme }, { now: new Date(Date.now() - 4 * 60_000) });
    expect(r.status).toBe(200);
  });

  it('refuses unknown keys, missing and unknown Authorization schemes', async () => {
    const emu = await emulator();
    const stranger = { accessKey: 'A'.repeat(20), secretKey: 'B'.repeat(40), region: 'eu-west-2' };
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: stranger }), 401, '1', 'AccessDenied');
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { none: true }), 401, '1', 'AccessDenied');
    const bearer = await oscCall(emu.url, 'ReadAccessKeys', {}, { none: true }, { headers: { Authorization: 'Bearer abc' } });
    expectOscError(bearer, 401, '12', 'AccessDenied');
  });

  it('accepts Basic login/password with X-Osc-Date on access-key calls only (code 9 elsewhere)', async () => {
    const emu = await emulator({ login: 'ops@example.com', password: 'p4ss:word' });
    const basic = { basic: { login: 'ops@example.com', password: 'p4ss:word' } };
    const created = await oscCall(emu.url, 'CreateAccessKey', {}, basic);
    expect(created.status).toBe(200);
    const read = await oscCall(emu.url, 'ReadAccessKeys', {}, basic);
    expect(read.body['AccessKeys']).toHaveLength(2);
    expectOscError(await oscCall(emu.url, 'ReadAccounts', {}, basic), 401, '9', 'AuthFailure');
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { basic: { login: 'ops@example.com', password: 'nope' } }), 401, '1', 'AccessDenied');
    const noDate = await oscCall(emu.url, 'ReadAccessKeys', {}, basic, {
      tamper: (s) => ({ ...s, headers: Object.fromEntries(Object.entries(s.headers).filter(([k]) => k !== 'X-Osc-Date')) }),
    });
    expectOscError(noDate, 401, '1', 'AccessDenied');
  });

  it('locks the account after 4 consecutive failures (401 code 13), then lets it in again', async () => {
    let now = Date.now();
    const emu = await emulator({ now: () => now });
    const wrong = { ...emu.account, secretKey: 'Z'.repeat(40) };
    for (let i = 0; i < 4; i++) expect((await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: wrong }, { now: new Date(now) })).status).toBe(401);
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account }, { now: new Date(now) }), 401, '13', 'AccessDenied');
    now += 60_001;
    expect((await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account }, { now: new Date(now) })).status).toBe(200);
  });

  it('lets no INACTIVE or expired key sign, yet lists the expired one as ACTIVE', async () => {
    const emu = await emulator();
    const inactive = emu.issueKey(undefined, { state: 'INACTIVE' });
    const expired = emu.issueKey(undefined, { expirationDate: '2020-01-01T00:00:00Z' });
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: inactive }), 401, '1', 'AccessDenied');
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: expired }), 401, '1', 'AccessDenied');
    const listed = await oscCall(emu.url, 'ReadAccessKeys', { Filters: { AccessKeyIds: [expired.accessKey] } }, { sign: emu.account });
    expect(listed.body['AccessKeys']).toEqual([
      expect.objectContaining({ AccessKeyId: expired.accessKey, State: 'ACTIVE', ExpirationDate: '2020-01-01T00:00:00.000+0000' }),
    ]);
  });

  it('answers non-POST with 405 code 2 and unknown actions with a JSON error', async () => {
    const emu = await emulator();
    expectOscError(await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account }, { method: 'PUT' }), 405, '2', 'AccessDenied');
    expectOscError(
      await oscCall(emu.url, 'ReadSecretAccessKey', { AccessKeyId: emu.account.accessKey }, { sign: emu.account }),
      400,
      '5011',
      'InvalidResource',
    );
    expect(emu.requestLog.at(-1)).toMatchObject({ method: 'POST', status: 400, code: '5011' });
  });
});
