import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator, type OutscaleEmulator, type OutscaleEmulatorOptions } from './index.js';
import { resolveOptions } from './options.js';
import { firstError, oscCall } from './testing/client.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-osc-emu-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function emulator(options: OutscaleEmulatorOptions = {}): Promise<OutscaleEmulator> {
  const emu = await startOutscaleEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

describe('persistence', () => {
  it('keeps the account and its keys across restarts in a 0600 store file', async () => {
    const dataDir = tempDir();
    const first = await startOutscaleEmulator({ dataDir });
    const created = await oscCall(first.url, 'CreateAccessKey', { Tag: 'kept' }, { sign: first.account });
    await first.close();
    const second = await emulator({ dataDir });
    expect(second.account).toEqual(first.account);
    const id = (created.body['AccessKey'] as Record<string, string>)['AccessKeyId'];
    expect(second.listAccessKeys().map((k) => [k.accessKeyId, k.tag])).toEqual([
      [first.account.accessKey, undefined],
      [id, 'kept'],
    ]);
    expect(statSync(join(dataDir, 'store.json')).mode & 0o777).toBe(0o600);
    expect((await oscCall(second.url, 'ReadAccessKeys', {}, { sign: second.account })).status).toBe(200);
  });

  it('shares one data folder between two running emulators', async () => {
    const dataDir = tempDir();
    const a = await emulator({ dataDir });
    const b = await emulator({ dataDir });
    expect(b.account.accessKey).toBe(a.account.accessKey);
    const created = await oscCall(a.url, 'CreateAccessKey', {}, { sign: a.account });
    const secret = (created.body['AccessKey'] as Record<string, string>)['SecretKey'] ?? '';
    const accessKey = (created.body['AccessKey'] as Record<string, string>)['AccessKeyId'] ?? '';
    // A key minted through one process signs requests to the other.
    expect((await oscCall(b.url, 'ReadAccessKeys', {}, { sign: { accessKey, secretKey: secret, region: 'eu-west-2' } })).status).toBe(200);
  });

  it('heals a deleted or deactivated bootstrap key on the next start', async () => {
    const dataDir = tempDir();
    const first = await startOutscaleEmulator({ dataDir });
    const spare = first.issueKey();
    await oscCall(first.url, 'DeleteAccessKey', { AccessKeyId: first.account.accessKey }, { sign: spare });
    await first.close();
    const second = await startOutscaleEmulator({ dataDir });
    expect(second.account.accessKey).not.toBe(first.account.accessKey);
    expect((await oscCall(second.url, 'ReadAccounts', {}, { sign: second.account })).status).toBe(200);
    await oscCall(second.url, 'UpdateAccessKey', { AccessKeyId: second.account.accessKey, State: 'INACTIVE' }, { sign: spare });
    await second.close();
    const third = await emulator({ dataDir });
    expect(third.account.accessKey).toBe(second.account.accessKey);
    expect((await oscCall(third.url, 'ReadAccounts', {}, { sign: third.account })).status).toBe(200);
  });

  it('reports a damaged store instead of using half of it', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'store.json'), '{"formatVersion":1}');
    await expect(startOutscaleEmulator({ dataDir })).rejects.toThrow(/remove it to start afresh/);
  });
});

describe('faults, limits and the request log', () => {
  it('injects 429 (24), 503 (6) and 500 repeatably for a seed', async () => {
    const statuses = async (): Promise<string[]> => {
      const emu = await emulator({ failRate: 0.6, seed: 42 });
      const out: string[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account });
        out.push(r.status === 200 ? '200' : `${r.status}/${String(firstError(r).Code)}`);
      }
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['200', '429/24', '503/6', '500/2000']));
  });

  it('applies the platform, account and per-call limiters in that order', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0, 100);
    const at = { now: new Date(now) };
    const emu = await emulator({ now: () => now, throttle: { platformPerSecond: 5, accountPerSecond: 4, callPerSecond: 2 } });
    const codes: unknown[] = [];
    for (const action of ['ReadAccessKeys', 'ReadAccessKeys', 'ReadAccessKeys', 'ReadAccounts', 'ReadAccounts', 'ReadAccounts']) {
      const r = await oscCall(emu.url, action, {}, { sign: emu.account }, at);
      codes.push(r.status === 200 ? 200 : `${r.status}/${String(firstError(r).Code)}`);
    }
    expect(codes).toEqual([200, 200, '429/25', 200, '429/24', '503/6']);
  });

  it('delays answers by latencyMs', async () => {
    const emu = await emulator({ latencyMs: 120 });
    const started = performance.now();
    await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: emu.account });
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('logs method, path, action, status and code only, never a secret', async () => {
    const dataDir = tempDir();
    const emu = await emulator({ dataDir, login: 'ops@example.com', password: 'hunter2-secret' });
    const created = await oscCall(emu.url, 'CreateAccessKey', {}, { sign: emu.account });
    await oscCall(emu.url, 'ReadAccessKeys', {}, { basic: { login: 'ops@example.com', password: 'hunter2-secret' } });
    await oscCall(emu.url, 'ReadAccessKeys', {}, { basic: { login: 'ops@example.com', password: 'wrong' } });
    const secret = (created.body['AccessKey'] as Record<string, string>)['SecretKey'] ?? '';
    const log = JSON.stringify(emu.requestLog);
    for (const s of [secret, emu.account.secretKey, 'hunter2-secret']) expect(log).not.toContain(s);
    expect(emu.requestLog).toEqual([
      { method: 'POST', path: '/api/v1/CreateAccessKey', action: 'CreateAccessKey', status: 200 },
      { method: 'POST', path: '/api/v1/ReadAccessKeys', action: 'ReadAccessKeys', status: 200 },
      { method: 'POST', path: '/api/v1/ReadAccessKeys', action: 'ReadAccessKeys', status: 401, code: '1', detail: 'wrong password' },
    ]);
    expect(JSON.stringify(emu.listAccessKeys())).not.toContain(secret);
    // The store holds secrets (it must, to verify signatures): hence its 0600 mode.
    expect(readFileSync(join(dataDir, 'store.json.log'), 'utf8')).toContain(secret);
    expect(statSync(join(dataDir, 'store.json.log')).mode & 0o777).toBe(0o600);
  });
});

describe('options', () => {
  it('rejects nonsense and unknown guessed-error names', () => {
    expect(() => resolveOptions({ failRate: 2 })).toThrow(TypeError);
    expect(() => resolveOptions({ keyLimit: 0 })).toThrow(TypeError);
    expect(() => resolveOptions({ errors: { quotaExceeded: { status: 200, code: '1', type: 'X' } } })).toThrow(TypeError);
    expect(() => resolveOptions({ errors: { nope: { status: 400, code: '1', type: 'X' } } as never })).toThrow(TypeError);
  });

  it('lets a guessed answer be replaced', async () => {
    const emu = await emulator({ keyLimit: 1, errors: { quotaExceeded: { status: 409, code: '10005', type: 'TooManyResources' } } });
    const r = await oscCall(emu.url, 'CreateAccessKey', {}, { sign: emu.account });
    expect([r.status, firstError(r).Type]).toEqual([409, 'TooManyResources']);
  });
});
