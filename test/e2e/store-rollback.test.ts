/**
 * Secret-store outputs through the built CLI, with the stores failing: an OUTSCALE key
 * whose outputs are a file, a Vault KV secret and a GitHub Actions secret (both emulators
 * run by the test, reached by URL with tokens from the environment). Vault answering 503,
 * then GitHub answering 422: each time the new key is deleted again, the outputs written
 * before are put back (the file removed, Vault's previous version current again), apply
 * exits 4 and nothing is left behind; once the stores answer, apply converges. No secret
 * or token appears in keyplan's output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startGithubEmulator } from '../../src/emulators/github/index.js';
import { startVaultEmulator, type VaultEmulator } from '../../src/emulators/vault/index.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';

const config = (vault: string, github: string): string => `version: 1
providers:
  osc: { type: outscale, endpoint: sandbox }
keys:
  - name: etl
    kind: outscale.access_key
    provider: osc
    outputs:
      - { type: file, path: out/etl.json }
      - { type: vault_kv, address: "${vault}", mount: secret, path: etl/access, token_env: VAULT_TOKEN }
      - { type: github_secret, api_url: "${github}", repository: example/app, name: ETL_KEY, token_env: GH_TOKEN }
`;

async function vaultData(vault: VaultEmulator): Promise<Record<string, string>> {
  const res = await fetch(`${vault.url}/v1/secret/data/etl/access`, { headers: { 'X-Vault-Token': vault.rootToken } });
  return ((await res.json()) as { data: { data: Record<string, string> } }).data.data;
}

/** The plan's "Unmanaged keys" section: the sandbox's own bootstrap key, and any orphan. */
const unmanaged = (run: CliRun): string => run.stdout.slice(run.stdout.indexOf('Unmanaged'), run.stdout.indexOf('\nPlan:'));

describe('secret-store outputs that fail', () => {
  it('roll back what was written, delete the new key, exit 4, and converge once the stores answer', async () => {
    const dir = tempDir();
    const vault = await startVaultEmulator();
    onTestFinished(() => vault.close());
    const github = await startGithubEmulator();
    onTestFinished(() => github.close());
    github.addRepository('example/app');
    writeFileSync(path.join(dir, 'keys.yaml'), config(vault.url, github.url));
    const env = { VAULT_TOKEN: vault.rootToken, GH_TOKEN: github.bootstrapToken };
    const runs: CliRun[] = [];
    const run = async (...args: string[]): Promise<CliRun> => {
      const r = await keyplan(dir, args, env);
      runs.push(r);
      return r;
    };

    // A version that was there before keyplan: a rollback must make it current again.
    const seeded = await fetch(`${vault.url}/v1/secret/data/etl/access`, {
      method: 'POST',
      headers: { 'X-Vault-Token': vault.rootToken },
      body: JSON.stringify({ data: { secret_key: 'OLD-SECRET-KEY' } }),
    });
    expect(seeded.status).toBe(200);
    const before = unmanaged(await run('plan'));

    vault.failNextWrites(503, 100);
    const vaultDown = await run('apply', '--auto-approve');
    expect(vaultDown.code, vaultDown.stderr).toBe(4);
    expect(vaultDown.stderr).toContain("etl: the new key's secret could not be written to its outputs, so the key was deleted again");
    expect(vaultDown.stderr).toContain('vault_kv output secret/data/etl/access');
    expect(existsSync(path.join(dir, 'out', 'etl.json'))).toBe(false);
    expect(await vaultData(vault)).toEqual({ secret_key: 'OLD-SECRET-KEY' });
    expect(github.secretNames({ repository: 'example/app' })).toEqual([]);
    expect(unmanaged(await run('plan'))).toBe(before);

    vault.failNextWrites(503, 0);
    github.failNextPuts(1, 422);
    const githubRefuses = await run('apply', '--auto-approve');
    expect(githubRefuses.code, githubRefuses.stderr).toBe(4);
    expect(githubRefuses.stderr).toContain('github_secret output example/app ETL_KEY');
    expect(existsSync(path.join(dir, 'out', 'etl.json'))).toBe(false);
    expect(await vaultData(vault)).toEqual({ secret_key: 'OLD-SECRET-KEY' });
    expect(github.secretNames({ repository: 'example/app' })).toEqual([]);
    expect(unmanaged(await run('plan'))).toBe(before);

    const applied = await run('apply', '--auto-approve');
    expect(applied.code, applied.stderr).toBe(0);
    const file = readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8');
    const { secret_key: secretKey } = JSON.parse(file) as { secret_key: string };
    expect((await vaultData(vault))['secret_key']).toBe(secretKey);
    expect(github.secretValue({ repository: 'example/app' }, 'ETL_KEY')).toBe(file);
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);

    for (const r of runs) {
      for (const secret of [secretKey, vault.rootToken, github.bootstrapToken]) expect(r.stdout + r.stderr).not.toContain(secret);
    }
  }, 120_000);
});
