/** The `vault_kv` output against the Vault emulator: cas writes, read back, undo, refusals, races. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startVaultEmulator, type VaultEmulator, type VaultEmulatorOptions } from '../../emulators/vault/index.js';
import type { OutputSpec } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { SecretMaterial } from '../../providers/contract.js';
import type { OutputUndo, OutputWriteContext } from '../../providers/module.js';
import { thrown } from '../../../test/helpers/errors.js';
import { OUTPUT_ERROR_CODES, OutputError } from '../output-error.js';
import { vaultKvOutput } from './index.js';

const SECRET = 'Zq81cK0pX2vB7nM4aS6dF9gH3jL5wE1rT0yU8iO2';
const material: SecretMaterial = {
  file: new Secret(JSON.stringify({ access_key: 'AK000000000000000001', secret_key: SECRET })),
  secrets: { secret_key: new Secret(SECRET) },
  values: { access_key: 'AK000000000000000001', region: 'eu-west-2' },
};

async function vault(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const emu = await startVaultEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

function spec(address: string, extra: Partial<OutputSpec> = {}): OutputSpec {
  return { type: 'vault_kv', address, mount: 'secret', path: 'ci/deploy', token_env: 'VAULT_TOKEN', ...extra };
}

function context(token: string, extra: Partial<OutputWriteContext> = {}): OutputWriteContext {
  return {
    baseDir: '/nonexistent',
    keyName: 'deploy',
    kind: 'test.api_key',
    owner: 'o',
    liveId: 'AK000000000000000001',
    env: { VAULT_TOKEN: token },
    ...extra,
  };
}

/** GETs a path of the emulator as root: status and parsed body. */
async function get(
  emu: VaultEmulator,
  path: string,
  namespace?: string,
): Promise<{ status: number; body: { data?: { data?: unknown; metadata?: { version?: number } } } }> {
  const res = await fetch(`${emu.url}/v1/${path}`, { headers: { 'X-Vault-Token': emu.rootToken, ...(namespace ? { 'X-Vault-Namespace': namespace } : {}) } });
  return { status: res.status, body: (await res.json()) as { data?: { data?: unknown } } };
}

async function put(emu: VaultEmulator, data: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.url}/v1/secret/data/ci/deploy`, {
    method: 'POST',
    headers: { 'X-Vault-Token': emu.rootToken },
    body: JSON.stringify({ data }),
  });
  expect(res.status).toBe(200);
}

async function written(emu: VaultEmulator, extra: Partial<OutputSpec> = {}, token = emu.rootToken): Promise<OutputUndo> {
  const undo = await vaultKvOutput.write(spec(emu.url, extra), material, context(token));
  if (undo === undefined) throw new Error('expected an undo');
  return undo;
}

function expectClean(error: Error, token: string): void {
  expect(error).toBeInstanceOf(OutputError);
  expect(error.message).not.toContain(token);
  expect(error.message).not.toContain(SECRET);
}

describe('vault_kv output: writing', () => {
  it('writes every value and secret as version 1 of a new secret, with cas 0, and reads it back', async () => {
    const emu = await vault();
    await written(emu);
    // Metadata read, write, read back: in that order, nothing else.
    expect(emu.requestLog.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /v1/secret/metadata/ci/deploy 404',
      'POST /v1/secret/data/ci/deploy 200',
      'GET /v1/secret/data/ci/deploy?version=1 200',
    ]);
    const read = await get(emu, 'secret/data/ci/deploy');
    expect(read.body.data?.data).toEqual({ access_key: 'AK000000000000000001', region: 'eu-west-2', secret_key: SECRET });
    expect(read.body.data?.metadata?.version).toBe(1);
  });

  it('writes only the chosen fields, renamed, and the file content as `file`', async () => {
    const emu = await vault();
    await written(emu, { fields: { secret_key: 'AWS_SECRET_ACCESS_KEY', access_key: 'AWS_ACCESS_KEY_ID', file: 'profile' } });
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_ACCESS_KEY_ID: 'AK000000000000000001',
      profile: material.file.reveal(),
    });
    const error = await thrown(written(emu, { fields: { passphrase: 'P' } }));
    expect(error.message).toBe(
      'vault_kv output secret/data/ci/deploy: fields names passphrase, which the key does not have (it has access_key, file, region, secret_key)',
    );
  });

  it('writes a new version over an existing secret with cas = its current version', async () => {
    const emu = await vault();
    await put(emu, { old: 'one' });
    await put(emu, { old: 'two' });
    await written(emu);
    const secret = emu.secret('ci/deploy');
    expect(secret?.currentVersion).toBe(3);
    expect(emu.requestLog.find((e) => e.method === 'POST' && e.path === '/v1/secret/data/ci/deploy' && e.status === 200)).toBeDefined();
  });

  it('writes into the namespace it names', async () => {
    const emu = await vault();
    await written(emu, { namespace: 'team1/' });
    expect(emu.secret('ci/deploy', { namespace: 'team1' })?.currentVersion).toBe(1);
    expect(emu.secret('ci/deploy')).toBeUndefined();
    expect(vaultKvOutput.describe(spec(emu.url, { namespace: 'team1' }))).toBe('team1/secret/data/ci/deploy');
  });
});

describe('vault_kv output: refusals', () => {
  it('fails a 403 on write naming address and path, never the token or the secret, and writes nothing', async () => {
    const emu = await vault();
    const reader = emu.createToken([
      { path: 'secret/data/*', capabilities: ['read'] },
      { path: 'secret/metadata/*', capabilities: ['read'] },
    ]);
    const error = await thrown(written(emu, {}, reader));
    expectClean(error, reader);
    expect((error as OutputError).code).toBe(OUTPUT_ERROR_CODES.auth);
    expect(error.message).toBe(
      `vault_kv output secret/data/ci/deploy: writing the new version: Vault at ${emu.url} refused the token in VAULT_TOKEN for secret/ci/deploy (HTTP 403: permission denied); the token needs create, update and read on secret/data/ci/deploy, read on secret/metadata/ci/deploy`,
    );
    expect(emu.secret('ci/deploy')).toBeUndefined();
  });

  it('fails a 503 on write as sealed or unavailable, and leaves the previous version current', async () => {
    const emu = await vault();
    await put(emu, { old: 'one' });
    emu.failNextWrites(503);
    const error = await thrown(written(emu));
    expectClean(error, emu.rootToken);
    expect(error.message).toBe(
      `vault_kv output secret/data/ci/deploy: writing the new version: Vault at ${emu.url} is sealed or unavailable (HTTP 503: Vault is sealed); unseal it and apply again`,
    );
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ old: 'one' });
  });

  it('names a missing mount, an unreachable Vault and an unset token variable', async () => {
    const emu = await vault();
    const noMount = await thrown(written(emu, { mount: 'kv' }));
    expect(noMount.message).toContain(`Vault at ${emu.url} has no KV version 2 mount "kv" serving kv/ci/deploy (HTTP 404: no handler for route`);
    const closed = await startVaultEmulator();
    const url = closed.url;
    await closed.close();
    const unreachable = await thrown(vaultKvOutput.write(spec(url), material, context('hvs.whatever')));
    expect(unreachable.message).toMatch(new RegExp(`reading the secret’s metadata: cannot reach Vault at ${url.replace(/\./g, '\\.')}: .*ECONNREFUSED`));
    const unset = await thrown(vaultKvOutput.write(spec(emu.url), material, context('', { env: {} })));
    expect(unset.message).toBe('vault_kv output secret/data/ci/deploy: the environment variable VAULT_TOKEN (the Vault token) is not set');
  });
});

/**
 * A proxy in front of the emulator that lets `before` run once, just before the first data
 * write passes, and lets `rewrite` change the body of answers to versioned reads.
 */
async function racingProxy(emu: VaultEmulator, before: () => Promise<void>, rewrite?: (body: string) => string): Promise<string> {
  let raced = false;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (!raced && req.method === 'POST' && (req.url ?? '').includes('/data/')) {
          raced = true;
          await before();
        }
        const target = new URL(req.url ?? '/', emu.url);
        const out = request(target, { method: req.method, headers: req.headers }, (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            const body = rewrite !== undefined && (req.url ?? '').includes('?version=') ? rewrite(text) : text;
            res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
            res.end(body);
          });
        });
        out.end(Buffer.concat(chunks));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('vault_kv output: check-and-set', () => {
  it('reports a lost race as such and overwrites nothing', async () => {
    const emu = await vault();
    for (const v of ['1', '2', '3']) await put(emu, { other: v });
    const proxy = await racingProxy(emu, () => put(emu, { other: '4' }));
    const error = await thrown(vaultKvOutput.write(spec(proxy), material, context(emu.rootToken)));
    expectClean(error, emu.rootToken);
    expect(error.message).toBe(
      'vault_kv output secret/data/ci/deploy: another writer changed secret/ci/deploy (version 4) since keyplan read version 3; nothing was written, apply again to deliver the new key',
    );
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ other: '4' });
  });

  it('does not overwrite a secret another writer created after keyplan found none', async () => {
    const emu = await vault();
    const proxy = await racingProxy(emu, () => put(emu, { other: 'first' }));
    const error = await thrown(vaultKvOutput.write(spec(proxy), material, context(emu.rootToken)));
    expect(error.message).toContain('another writer changed secret/ci/deploy (version 1) since keyplan read version 0');
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ other: 'first' });
  });
});

/** A proxy that forwards the first data write to the emulator and then breaks the connection instead of answering. */
async function answerLosingProxy(emu: VaultEmulator): Promise<string> {
  let dropped = false;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const drop = !dropped && req.method === 'POST' && (req.url ?? '').includes('/data/');
      if (drop) dropped = true;
      const out = request(new URL(req.url ?? '/', emu.url), { method: req.method, headers: req.headers }, (answer) => {
        if (drop) {
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('vault_kv output: lost answers', () => {
  it('takes back a write that landed although its answer was lost, and fails', async () => {
    const emu = await vault();
    await put(emu, { previous: 'value' });
    const proxy = await answerLosingProxy(emu);
    const error = await thrown(vaultKvOutput.write(spec(proxy), material, context(emu.rootToken)));
    expectClean(error, emu.rootToken);
    expect(error.message).toMatch(
      /^vault_kv output secret\/data\/ci\/deploy: writing the new version: cannot reach Vault at .*; it had landed as version 2 and was taken back$/,
    );
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ previous: 'value' });
    expect(emu.secret('ci/deploy')?.versions['2']).toMatchObject({ destroyed: true });
  });

  it('deletes a secret it created whose write answer was lost', async () => {
    const emu = await vault();
    const proxy = await answerLosingProxy(emu);
    const error = await thrown(vaultKvOutput.write(spec(proxy), material, context(emu.rootToken)));
    expect(error.message).toContain('it had landed as version 1 and was taken back');
    expect(emu.secret('ci/deploy')).toBeUndefined();
  });
});

describe('vault_kv output: read back', () => {
  it('fails when the version read back differs, naming fields only, and takes its write back', async () => {
    const emu = await vault();
    await put(emu, { previous: 'value' });
    const proxy = await racingProxy(
      emu,
      async () => undefined,
      (body) => body.replace(`"secret_key":"${SECRET}"`, '"secret_key":"tampered"'),
    );
    const error = await thrown(vaultKvOutput.write(spec(proxy), material, context(emu.rootToken)));
    expectClean(error, emu.rootToken);
    expect(error.message).toBe('vault_kv output secret/data/ci/deploy: version 2 read back holds other values in secret_key; the write was taken back');
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ previous: 'value' });
    expect(emu.secret('ci/deploy')?.versions['2']).toMatchObject({ destroyed: true });
  });
});

describe('vault_kv output: undo', () => {
  it('makes the previous version current again and destroys keyplan’s version', async () => {
    const emu = await vault();
    await put(emu, { previous: 'value', n: 2 });
    const undo = await written(emu);
    expect(emu.secret('ci/deploy')?.currentVersion).toBe(2);
    await undo();
    const secret = emu.secret('ci/deploy');
    expect(secret?.currentVersion).toBe(3);
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ previous: 'value', n: 2 });
    // The deleted key's secret does not stay in the history.
    expect(secret?.versions['2']).toMatchObject({ destroyed: true, data: null });
  });

  it('deletes a secret keyplan created', async () => {
    const emu = await vault();
    const undo = await written(emu);
    await undo();
    expect(emu.secret('ci/deploy')).toBeUndefined();
    expect((await get(emu, 'secret/metadata/ci/deploy')).status).toBe(404);
  });

  it('destroys keyplan’s version when the previous one was deleted, so the secret reads as deleted again', async () => {
    const emu = await vault();
    await put(emu, { previous: 'value' });
    await fetch(`${emu.url}/v1/secret/data/ci/deploy`, { method: 'DELETE', headers: { 'X-Vault-Token': emu.rootToken } });
    const undo = await written(emu);
    expect((await get(emu, 'secret/data/ci/deploy')).status).toBe(200);
    await undo();
    expect((await get(emu, 'secret/data/ci/deploy')).status).toBe(404);
    expect(emu.secret('ci/deploy')?.versions['2']).toMatchObject({ destroyed: true });
  });

  it('leaves alone, and says so, a secret another writer changed after keyplan’s write', async () => {
    const emu = await vault();
    const undoNew = await written(emu);
    await put(emu, { other: 'later' });
    await expect(undoNew()).rejects.toThrow('another writer changed secret/ci/deploy (version 2) after keyplan created it at version 1; left as it is');
    expect((await get(emu, 'secret/data/ci/deploy')).body.data?.data).toEqual({ other: 'later' });

    const emu2 = await vault();
    await put(emu2, { previous: 'v' });
    const undoOld = await written(emu2);
    await put(emu2, { other: 'later' });
    await expect(undoOld()).rejects.toThrow('another writer changed secret/ci/deploy after keyplan wrote version 2; version 1 was not made current again');
    expect((await get(emu2, 'secret/data/ci/deploy')).body.data?.data).toEqual({ other: 'later' });
  });

  it('fails an undo the sealed Vault refuses, with no token or secret in the message', async () => {
    const emu = await vault();
    await put(emu, { previous: 'value' });
    const undo = await written(emu);
    emu.setSealed(true);
    const error = await thrown(undo());
    expect(error.message).toBe(
      `making version 1 of secret/ci/deploy current again: Vault at ${emu.url} is sealed or unavailable (HTTP 503: Vault is sealed); unseal it and apply again`,
    );
    expect(error.message).not.toContain(emu.rootToken);
  });
});

describe('vault_kv output: module', () => {
  it('points at the sandbox for `address: sandbox` and needs no token variable there', async () => {
    expect(vaultKvOutput.usesSandbox?.(spec('sandbox'))).toBe(true);
    expect(vaultKvOutput.usesSandbox?.(spec('https://vault.example.com'))).toBe(false);
    expect(vaultKvOutput.envSettings?.(spec('sandbox'))).toEqual([]);
    expect(vaultKvOutput.envSettings?.(spec('https://vault.example.com'))).toEqual([{ field: 'token_env', holds: 'the Vault token' }]);
  });

  it('starts the sandbox emulator and writes to it with the sandbox’s token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyplan-vault-sandbox-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const service = await vaultKvOutput.startSandbox?.({
      dataDir,
      port: 0,
      latencyMs: 0,
      failRate: 0,
      extra: { vaultFailWrites: 1, vaultFailStatus: 503 },
    });
    if (service === undefined) throw new Error('expected a sandbox');
    onTestFinished(() => service.close());
    const sandboxSpec = spec('sandbox', { token_env: undefined });
    const ctx = context('', { env: {}, sandbox: service.endpoint });
    // The first write is refused (vaultFailWrites), the next one lands.
    expect((await thrown(vaultKvOutput.write(sandboxSpec, material, ctx))).message).toContain('is sealed or unavailable');
    await vaultKvOutput.write(sandboxSpec, material, ctx);
    const res = await fetch(`${service.endpoint.url}/v1/secret/data/ci/deploy`, { headers: { 'X-Vault-Token': service.endpoint.credentials['token'] ?? '' } });
    expect(((await res.json()) as { data: { data: unknown } }).data.data).toMatchObject({ secret_key: SECRET });
    // The sandbox keeps its root token and the delivered secrets in its data folder, mode 0600.
    expect(statSync(join(dataDir, 'store.json')).mode & 0o777).toBe(0o600);
  });
});
