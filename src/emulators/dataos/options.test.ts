/** Emulator options: Go durations, token format, persistence, faults and latency. */
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseGoDuration } from './go-duration.js';
import { decodeToken, encodeToken, expirationAfter, formatExpiration } from './tokens.js';
import { startDataosEmulator, type DataosEmulatorOptions } from './index.js';
import { resolveDataosOptions } from './options.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-dataos-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(options: DataosEmulatorOptions) {
  const emu = await startDataosEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

describe('Go durations', () => {
  it.each([
    ['24h', 86_400_000],
    ['720h', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['0', 0],
    ['-2h', -7_200_000],
  ])('%s is %d ms', (text, ms) => expect(parseGoDuration(text)).toBe(ms));

  it.each(['', '24', 'h', '1d', '1h 30m', '.h', '1..5h', '+'])('%j is not a duration', (text) => expect(parseGoDuration(text)).toBeUndefined());
});

describe('token format', () => {
  it('round-trips name and uuid through base64 and rejects anything else', () => {
    const uuid = '0b6a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
    const token = encodeToken('querybook_0123abcd', uuid);
    expect(Buffer.from(token, 'base64').toString()).toBe(`querybook_0123abcd.${uuid}`);
    expect(decodeToken(token)).toEqual({ name: 'querybook_0123abcd', uuid });
    expect(decodeToken(encodeToken('a.b', uuid))).toEqual({ name: 'a.b', uuid });
    expect(decodeToken(`${token}!`)).toBeUndefined();
    expect(decodeToken(Buffer.from('name.not-a-uuid').toString('base64'))).toBeUndefined();
    expect(decodeToken(Buffer.from(`.${uuid}`).toString('base64'))).toBeUndefined();
  });

  it('truncates expirations to the hour and prints them without fractions', () => {
    const at = expirationAfter(Date.parse('2025-01-01T23:59:59.999Z'), 3_600_000);
    expect(formatExpiration(at)).toBe('2025-01-02T00:00:00Z');
  });
});

describe('options', () => {
  it('rejects nonsense', () => {
    expect(() => resolveDataosOptions({ failRate: 2 })).toThrow(/failRate/);
    expect(() => resolveDataosOptions({ bootstrapUserId: 'has space' })).toThrow(/bootstrapUserId/);
    expect(() => resolveDataosOptions({ duplicateNameError: { status: 200, message: 'x' } })).toThrow(/duplicateNameError/);
  });

  it('answers a configured duplicate-name error', async () => {
    const emu = await started({ duplicateNameError: { status: 400, message: 'name taken' } });
    const post = () =>
      fetch(`${emu.url}/heimdall/api/v1/users/${emu.bootstrap.userId}/tokens`, {
        method: 'POST',
        headers: { apikey: emu.bootstrap.token },
        body: JSON.stringify({ name: 'dup' }),
      });
    expect((await post()).status).toBe(201);
    const second = await post();
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({ status: 400, message: 'name taken' });
  });

  it('persists users and tokens atomically (0600) and keeps the bootstrap credential across restarts', async () => {
    const dataDir = tempDir();
    const first = await startDataosEmulator({ dataDir });
    const alice = await first.addUser('alice');
    await first.close();
    expect(statSync(join(dataDir, 'store.json')).mode & 0o777).toBe(0o600);
    const second = await started({ dataDir });
    expect(second.bootstrap).toEqual(first.bootstrap);
    expect(second.listTokens('alice')).toHaveLength(1);
    const who = await fetch(`${second.url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token: alice.token }) });
    expect(await who.json()).toMatchObject({ valid: true, result: { id: 'alice' } });
  });

  it('heals a deleted bootstrap token on the next start and reports a damaged store', async () => {
    const dataDir = tempDir();
    const first = await startDataosEmulator({ dataDir });
    await fetch(`${first.url}/heimdall/api/v1/users/${first.bootstrap.userId}/tokens/keyplan-sandbox-bootstrap`, {
      method: 'DELETE',
      headers: { apikey: first.bootstrap.token },
    });
    await first.close();
    const second = await started({ dataDir });
    expect(second.bootstrap.token).not.toBe(first.bootstrap.token);
    const who = await fetch(`${second.url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token: second.bootstrap.token }) });
    expect(await who.json()).toMatchObject({ valid: true });

    writeFileSync(join(dataDir, 'store.json'), '{"formatVersion": 2}');
    await expect(startDataosEmulator({ dataDir })).rejects.toThrow(/formatVersion 1/);
    expect(readFileSync(join(dataDir, 'store.json'), 'utf8')).toContain('2');
  });

  it('injects 429 and 500 faults deterministically with a seed, with {status, message} bodies', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const emu = await started({ failRate: 0.5, seed });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await fetch(`${emu.url}/heimdall/api/v1/users/${emu.bootstrap.userId}/tokens`, { headers: { apikey: emu.bootstrap.token } });
        out.push(r.status);
        if (r.status !== 200) expect(await r.json()).toEqual({ status: r.status, message: expect.any(String) });
        else await r.arrayBuffer();
      }
      return out;
    };
    const a = await statuses(7);
    expect(a).toEqual(await statuses(7));
    expect(new Set(a)).toEqual(new Set([200, 429, 500]));
  });

  it('delays every answer by latencyMs', async () => {
    const emu = await started({ latencyMs: 120 });
    const t = Date.now();
    await (await fetch(`${emu.url}/heimdall/api/v1/users`, { headers: { apikey: emu.bootstrap.token } })).arrayBuffer();
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });
});
