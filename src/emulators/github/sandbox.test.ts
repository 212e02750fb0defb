/** The sandbox's GitHub emulator: a bootstrap token that writes anywhere, kept (0600) until reset, and the PUT-failure knobs. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { githubSecretOutput, GITHUB_SANDBOX_KNOBS } from '../../outputs/github-secret/index.js';
import { resetSandbox, startSandbox } from '../sandbox.js';
import { startGithubEmulator } from './index.js';

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-sandbox-github-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const publicKey = (url: string, token: string) =>
  fetch(`${url}/repos/any/repo/actions/secrets/public-key`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

describe('sandbox: github_secret', () => {
  it('serves the Actions secrets API with a bootstrap token that persists until reset', async () => {
    const dir = dataDir();
    const first = await startSandbox({ dataDir: dir, providers: [], outputs: [githubSecretOutput] });
    const endpoint = first.endpoints['github_secret'];
    expect(Object.keys(endpoint?.credentials ?? {})).toEqual(['token']);
    // autoCreate: any repository keys.yaml names exists on first use.
    expect(await publicKey(endpoint?.url ?? '', endpoint?.credentials['token'] ?? '')).toBe(200);
    await first.close();
    expect(statSync(join(dir, 'github_secret', 'store.json')).mode & 0o777).toBe(0o600);

    const second = await startSandbox({ dataDir: dir, providers: [], outputs: [githubSecretOutput] });
    await second.close();
    expect(second.endpoints['github_secret']?.credentials).toEqual(endpoint?.credentials);
    await resetSandbox(dir, [githubSecretOutput]);
    expect(existsSync(join(dir, 'github_secret'))).toBe(false);
  });

  it('the extra knobs answer the next PUTs with a status, seen by any process on the data folder', async () => {
    const dir = dataDir();
    const extra = { [GITHUB_SANDBOX_KNOBS.failPutCount]: 1, [GITHUB_SANDBOX_KNOBS.failPutStatus]: 403 };
    const sandbox = await startSandbox({ dataDir: dir, providers: [], outputs: [githubSecretOutput], extra });
    onTestFinished(() => sandbox.close());
    const gh = await startGithubEmulator({ dataDir: join(dir, 'github_secret') });
    onTestFinished(() => gh.close());
    const res = await fetch(`${gh.url}/repos/any/repo/actions/secrets/A`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${gh.bootstrapToken}` },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});
