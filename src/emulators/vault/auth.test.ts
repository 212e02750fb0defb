/** Tokens, policies, namespaces, the seal, injected faults and the data folder. */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PERMISSION_DENIED, SEALED, startVaultEmulator, type VaultEmulator, type VaultEmulatorOptions } from './index.js';
import { allows, patternMatches } from './policy.js';

async function started(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const emu = await startVaultEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-vault-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function put(emu: VaultEmulator, path: string, headers: Record<string, string>, cas?: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.url}/v1/${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...(cas === undefined ? {} : { options: { cas } }), data: { v: 'x' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const denied = { status: 403, body: { errors: [PERMISSION_DENIED] } };

describe('Vault emulator: tokens and policies', () => {
  it('answers 403 permission denied without a token, with an unknown one, and without the capability', async () => {
    const emu = await started();
    expect(await put(emu, 'secret/data/a', {})).toEqual(denied);
    expect(await put(emu, 'secret/data/a', { 'X-Vault-Token': 'hvs.nottherighttoken00000' })).toEqual(denied);
    const reader = emu.createToken([{ path: 'secret/data/*', capabilities: ['read'] }]);
    expect(await put(emu, 'secret/data/a', { 'X-Vault-Token': reader })).toEqual(denied);
    expect((await put(emu, 'secret/data/a', { Authorization: `Bearer ${emu.rootToken}` })).status).toBe(200);
    // The log names the reason, never the token.
    expect(JSON.stringify(emu.requestLog)).not.toContain(reader);
    expect(emu.requestLog.map((e) => e.detail)).toContain('unknown token');
  });

  it('tells create from update, as Vault’s existence check does', async () => {
    const emu = await started();
    const creator = emu.createToken([{ path: 'secret/data/app/+', capabilities: ['create'] }]);
    expect((await put(emu, 'secret/data/app/one', { 'X-Vault-Token': creator })).status).toBe(200);
    // The secret now exists, so writing it again needs update.
    expect(await put(emu, 'secret/data/app/one', { 'X-Vault-Token': creator })).toEqual(denied);
    expect(await put(emu, 'secret/data/app/deeper/two', { 'X-Vault-Token': creator })).toEqual(denied);
  });

  it('matches globs and +, the most specific rule winning and deny refusing', () => {
    expect(patternMatches('secret/data/*', 'secret/data/a/b')).toBe(true);
    expect(patternMatches('secret/data/+/x', 'secret/data/a/x')).toBe(true);
    expect(patternMatches('secret/data/+/x', 'secret/data/a/b/x')).toBe(false);
    expect(patternMatches('secret/+/ci*', 'secret/data/ci-app')).toBe(true);
    const rules = [
      { path: 'secret/data/*', capabilities: ['create', 'update'] as const },
      { path: 'secret/data/locked', capabilities: ['deny'] as const },
      { path: 'secret/data/ro/*', capabilities: ['read'] as const },
    ];
    expect(allows(rules, 'secret/data/free', 'update')).toBe(true);
    expect(allows(rules, 'secret/data/locked', 'update')).toBe(false);
    expect(allows(rules, 'secret/data/ro/x', 'update')).toBe(false);
    expect(allows(rules, 'secret/metadata/free', 'read')).toBe(false);
  });

  it('keeps each namespace’s secrets apart and matches policies with the namespace first', async () => {
    const emu = await started();
    const teamOnly = emu.createToken([{ path: 'team1/secret/data/*', capabilities: ['create', 'update', 'read'] }]);
    expect((await put(emu, 'secret/data/ns', { 'X-Vault-Token': teamOnly, 'X-Vault-Namespace': 'team1/' })).status).toBe(200);
    expect(await put(emu, 'secret/data/ns', { 'X-Vault-Token': teamOnly })).toEqual(denied);
    expect(emu.secret('ns', { namespace: 'team1' })?.currentVersion).toBe(1);
    expect(emu.secret('ns')).toBeUndefined();
    expect(emu.requestLog[0]?.namespace).toBe('team1');
  });
});

describe('Vault emulator: seal and faults', () => {
  it('answers 503 Vault is sealed while sealed, sys/health included', async () => {
    const emu = await started({ sealed: true });
    expect(await put(emu, 'secret/data/a', { 'X-Vault-Token': emu.rootToken })).toEqual({ status: 503, body: { errors: [SEALED] } });
    const health = await fetch(`${emu.url}/v1/sys/health`);
    expect([health.status, ((await health.json()) as { sealed: boolean }).sealed]).toEqual([503, true]);
    emu.setSealed(false);
    expect((await put(emu, 'secret/data/a', { 'X-Vault-Token': emu.rootToken })).status).toBe(200);
  });

  it('answers the injected status to the next N writes only, and reads stay served', async () => {
    const emu = await started({ failWrites: { status: 503, count: 1 } });
    const root = { 'X-Vault-Token': emu.rootToken };
    expect(await put(emu, 'secret/data/a', root)).toEqual({ status: 503, body: { errors: [SEALED] } });
    expect((await put(emu, 'secret/data/a', root, 0)).status).toBe(200);
    emu.failNextWrites(403, 2);
    expect((await fetch(`${emu.url}/v1/secret/data/a`, { headers: root })).status).toBe(200);
    expect((await put(emu, 'secret/data/a', root)).status).toBe(403);
    expect((await fetch(`${emu.url}/v1/secret/metadata/a`, { method: 'DELETE', headers: root })).status).toBe(403);
    expect((await put(emu, 'secret/data/a', root)).status).toBe(200);
    expect(emu.secret('a')?.currentVersion).toBe(2);
    expect(() => emu.failNextWrites(200)).toThrow('Expected `status` to be a 4xx or 5xx status, got `200`');
  });

  it('fails about failRate of the requests with 429 or 500, the same way for one seed', async () => {
    const run = async (): Promise<number[]> => {
      const emu = await started({ failRate: 0.5, seed: 11 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await fetch(`${emu.url}/v1/secret/data/a`, { headers: { 'X-Vault-Token': emu.rootToken } })).status);
      return statuses;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(new Set(first)).toEqual(new Set([404, 429, 500]));
  });
});

describe('Vault emulator: data folder', () => {
  it('keeps the root token, tokens and secrets (mode 0600) across restarts', async () => {
    const dataDir = tempDir();
    const first = await startVaultEmulator({ dataDir });
    expect(first.rootToken).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    const token = first.createToken([{ path: 'secret/data/*', capabilities: ['create', 'read'] }]);
    expect((await put(first, 'secret/data/kept', { 'X-Vault-Token': token })).status).toBe(200);
    await first.close();
    expect(statSync(join(dataDir, 'store.json')).mode & 0o777).toBe(0o600);
    const second = await started({ dataDir });
    expect(second.rootToken).toBe(first.rootToken);
    const read = await fetch(`${second.url}/v1/secret/data/kept`, { headers: { 'X-Vault-Token': token } });
    expect(read.status).toBe(200);
  });

  it('mints OpenBao-style tokens when told to, and refuses a damaged store', async () => {
    expect((await started({ tokenPrefix: 's.' })).rootToken).toMatch(/^s\.[A-Za-z0-9]{24}$/);
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'store.json'), '{"formatVersion":1}');
    await expect(startVaultEmulator({ dataDir })).rejects.toThrow('Expected the Vault emulator store');
  });

  it('refuses options that make no sense', async () => {
    await expect(startVaultEmulator({ mounts: [{ path: '/secret/' }] })).rejects.toThrow('Expected `mounts[0].path` to be a mount path');
    await expect(startVaultEmulator({ failWrites: { status: 99, count: 1 } })).rejects.toThrow('4xx or 5xx');
    await expect(startVaultEmulator({ dataDir: '' })).rejects.toThrow('Expected `dataDir` to name a folder, got ``');
  });
});
