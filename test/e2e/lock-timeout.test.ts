/**
 * `--lock-timeout` across processes: the built CLI finds the state locked by another
 * process (this test), says once who holds it, and goes on when the lock is released
 * 300 ms later; with a shorter timeout it fails with the usual message.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStateStore } from '../../src/state/local-store.js';
import { REPO_ROOT, tempDir } from '../helpers/cli.js';

/** Runs the CLI in `dir`; `onStderr` sees its stderr as it comes. */
function run(dir: string, args: readonly string[], onStderr: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A config with no keys (no network), its state locked by this process. */
async function lockedProject() {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'keys.yaml'), 'version: 1\nproviders: {}\nkeys: []\n');
  const store = new LocalStateStore(path.join(dir, '.keyplan', 'state.json'));
  return { dir, store, held: await store.lock('apply') };
}

describe('keyplan --lock-timeout (built CLI)', () => {
  it('waits for a lock another process holds and proceeds once it is released', async () => {
    const { dir, store, held } = await lockedProject();
    let released = false;
    const result = await run(dir, ['apply', '--auto-approve', '--lock-timeout', '30s'], (stderr) => {
      if (released || !stderr.includes('Waiting for the state lock')) return;
      released = true;
      setTimeout(() => void store.unlock(held.id), 300);
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Waiting for the state lock held by ${held.who}@${held.host} (pid ${process.pid}, operation apply, since ${held.created})`);
    expect(result.stderr.match(/Waiting for the state lock/g)).toHaveLength(1);
    expect(result.stdout).toContain('No changes.');
  }, 60_000);

  it('fails with the lock message when the lock is still held at the timeout', async () => {
    const { dir, held } = await lockedProject();
    const result = await run(dir, ['plan', '--lock-timeout', '200ms'], () => undefined);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Error: state is locked by ${held.who}@${held.host} (pid ${process.pid}, operation apply, since ${held.created}); lock ID: ${held.id}.`,
    );
  }, 60_000);
});
