/**
 * The repository's own keys.yaml, applied as a newcomer would (`npx keyplan apply` with
 * the demo passphrase): every key is created against the sandbox, the OUTSCALE secret key
 * lands in the sandbox's Vault and the OCI PEM in its GitHub emulator (both started by
 * keyplan for `address: sandbox` / `api_url: sandbox`), the next plan has no changes, and
 * no delivered secret shows in keyplan's output.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGithubEmulator } from '../../src/emulators/github/index.js';
import { startVaultEmulator } from '../../src/emulators/vault/index.js';
import { REPO_ROOT, keyplan, tempDir } from '../helpers/cli.js';

describe("the repository's keys.yaml", () => {
  it('applies against the sandbox and delivers into its Vault and GitHub emulators', async () => {
    const dir = tempDir();
    copyFileSync(path.join(REPO_ROOT, 'keys.yaml'), path.join(dir, 'keys.yaml'));
    expect((await keyplan(dir, ['plan'], {})).code).toBe(0);

    const applied = await keyplan(dir, ['apply', '--auto-approve'], { KEYPLAN_DEMO_PASSPHRASE: 'demo-passphrase-e2e' });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete! Keys: \d+ created/);

    const secretKey = /^OSC_SECRET_KEY=(\S+)$/m.exec(readFileSync(path.join(dir, '.keyplan/out/etl-access.env'), 'utf8'))?.[1];
    expect(secretKey).toBeDefined();
    const vault = await startVaultEmulator({ dataDir: path.join(dir, '.keyplan/sandbox/vault_kv') });
    try {
      const res = await fetch(`${vault.url}/v1/secret/data/etl/access`, { headers: { 'X-Vault-Token': vault.rootToken } });
      const body = (await res.json()) as { data: { data: Record<string, string>; metadata: { version: number } } };
      expect(res.status).toBe(200);
      expect(Object.keys(body.data.data).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OSC_REGION']);
      expect(body.data.data['AWS_SECRET_ACCESS_KEY']).toBe(secretKey);
    } finally {
      await vault.close();
    }

    const pem = readFileSync(path.join(dir, '.keyplan/out/ci-deployer.pem'), 'utf8');
    const github = await startGithubEmulator({ dataDir: path.join(dir, '.keyplan/sandbox/github_secret') });
    try {
      expect(github.secretValue({ repository: 'example/deploy' }, 'OCI_CI_DEPLOYER_KEY')).toBe(pem);
    } finally {
      await github.close();
    }

    expect((await keyplan(dir, ['plan', '--detailed-exitcode'], {})).code).toBe(0);
    const pemBody = pem.split('\n')[1] ?? '';
    for (const text of [applied.stdout, applied.stderr]) {
      expect(text).not.toContain(secretKey);
      expect(text).not.toContain(pemBody);
    }
  }, 120_000);
});
