/**
 * DataOS API keys end to end with the built CLI: against the sandbox, plan → apply (the
 * token lands in the outputs and authenticates) → plan again (no changes) → rotate (the
 * next generation name replaces it) → a same-named unmanaged token refused; against an
 * emulator with a bad token, a clear error naming the variable. At every step: no token
 * in stdout, stderr, state, the debug log or a saved plan.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDataosEmulator } from '../../src/emulators/dataos/index.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';

const PRESTO = `  - name: presto
    kind: dataos.api_key
    provider: dataos
    token_name: presto-driver
    duration: 48h
    outputs:
      - { type: file, path: out/presto.token }
      - { type: env_file, path: out/presto.env, prefix: DATAOS_ }
`;
const SPARK = `  - name: spark
    kind: dataos.api_key
    provider: dataos
    token_name: spark-job
    outputs: [{ type: file, path: out/spark.token }]
`;

const config = (provider: string, keys: string): string => `version: 1\nproviders:\n  dataos: ${provider}\nkeys:\n${keys}`;

/** Opens the sandbox's DataOS data while the CLI is not running: to inspect tokens or plant one. */
async function withSandboxData<T>(dir: string, body: (emu: Awaited<ReturnType<typeof startDataosEmulator>>) => Promise<T>): Promise<T> {
  const emu = await startDataosEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'dataos') });
  try {
    return await body(emu);
  } finally {
    await emu.close();
  }
}

async function authorizes(url: string, token: string): Promise<boolean> {
  const res = await fetch(`${url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token }) });
  return ((await res.json()) as { valid?: boolean }).valid === true;
}

describe('keyplan CLI with dataos.api_key', () => {
  it('creates, converges, rotates to the next generation and refuses an unmanaged same-named token, leaking no token', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, config('{ type: dataos, endpoint: sandbox }', PRESTO));
    const env = { KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: path.join(dir, 'debug.log') };
    const runs: CliRun[] = [];
    const run = async (...args: string[]): Promise<CliRun> => {
      const r = await keyplan(dir, args, env);
      runs.push(r);
      return r;
    };

    const plan1 = await run('plan', '--out', 'plan.kp');
    expect(plan1.code, plan1.stderr).toBe(0);
    expect(plan1.stdout).toContain('Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(plan1.stdout).toContain('token_name = "presto-driver"');

    const apply1 = await run('apply', '--auto-approve');
    expect(apply1.code, apply1.stderr).toBe(0);
    expect(apply1.stderr).toContain('presto: creation complete after');
    expect(apply1.stderr).toContain('[id=(caller)/presto-driver]');
    const tokenFile = path.join(dir, 'out', 'presto.token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token1 = readFileSync(tokenFile, 'utf8');
    expect(Buffer.from(token1, 'base64').toString()).toMatch(/^presto-driver\.[0-9a-f-]{36}$/);
    const envFile = readFileSync(path.join(dir, 'out', 'presto.env'), 'utf8');
    expect(envFile).toContain(`DATAOS_TOKEN=${token1}\n`);
    expect(envFile).toContain('DATAOS_NAME=presto-driver\nDATAOS_TOKEN');
    const bootstrap = await withSandboxData(dir, async (emu) => {
      expect(await authorizes(emu.url, token1)).toBe(true);
      return emu.bootstrap.token;
    });

    const plan2 = await run('plan', '--detailed-exitcode');
    expect(plan2.code, plan2.stdout + plan2.stderr).toBe(0);
    expect(plan2.stdout).toContain('No changes.');

    const rotate = await run('apply', '--auto-approve', '--rotate', 'presto');
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stderr).toContain('[id=(caller)/presto-driver-2]');
    const token2 = readFileSync(tokenFile, 'utf8');
    expect(Buffer.from(token2, 'base64').toString()).toMatch(/^presto-driver-2\./);
    await withSandboxData(dir, async (emu) => {
      expect(emu.listTokens(emu.bootstrap.userId).map((t) => t.name)).toEqual(['keyplan-sandbox-bootstrap', 'presto-driver-2']);
      expect(await authorizes(emu.url, token1)).toBe(false);
      expect(await authorizes(emu.url, token2)).toBe(true);
    });
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
    expect((await run('state', 'list')).stdout.trim()).toBe('presto\tdataos.api_key\t(caller)/presto-driver-2');

    // Someone created spark-job by hand; declaring it must not take it over.
    const theirs = await withSandboxData(dir, async (emu) => {
      const res = await fetch(`${emu.url}/heimdall/api/v1/users/${emu.bootstrap.userId}/tokens`, {
        method: 'POST',
        headers: { apikey: emu.bootstrap.token },
        body: JSON.stringify({ type: 'apikey', name: 'spark-job', duration: '24h' }),
      });
      return ((await res.json()) as { data: { apikey: string } }).data.apikey;
    });
    writeFileSync(file, config('{ type: dataos, endpoint: sandbox }', PRESTO + SPARK));
    const refused = await run('plan');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('token_name "spark-job" is already used by (caller)/spark-job, which keyplan does not manage');
    expect(refused.stdout).toContain('dataos.api_key (caller)/spark-job (owner (caller), active');
    const refusedApply = await run('apply', '--auto-approve');
    expect(refusedApply.code).toBe(1);
    await withSandboxData(dir, async (emu) => expect(await authorizes(emu.url, theirs)).toBe(true));

    await new Promise((resolve) => setTimeout(resolve, 50));
    const texts = runs.flatMap((r) => [r.stdout, r.stderr]);
    for (const f of ['.keyplan/state.json', 'debug.log', 'plan.kp']) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
      texts.push(readFileSync(path.join(dir, f), 'utf8'));
    }
    expect(texts.join('\n')).toContain('"message":"key created"');
    for (const secret of [token1, token2, bootstrap, theirs]) {
      for (const text of texts) expect(text.includes(secret)).toBe(false);
    }
  }, 120_000);

  it('reports a token Heimdall rejects by its variable name, and a missing one too', async () => {
    const emu = await startDataosEmulator();
    onTestFinished(() => emu.close());
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config(`{ type: dataos, url: "${emu.url}", token_env: DATAOS_APIKEY }`, PRESTO));
    const bad = Buffer.from('revoked.6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b').toString('base64');
    const r = await keyplan(dir, ['plan'], { DATAOS_APIKEY: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Heimdall rejected the API token from environment variable DATAOS_APIKEY');
    expect(r.stdout + r.stderr).not.toContain(bad);

    const missing = await keyplan(dir, ['plan'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('environment variable DATAOS_APIKEY (the DataOS API token keyplan authenticates with) is not set');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
