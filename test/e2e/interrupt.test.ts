/**
 * Ctrl-C during apply: the step in flight finishes and is recorded, no new step starts,
 * the lock is released, and apply exits 4; the next apply creates the rest.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

describe('an interrupted apply', () => {
  it('stops starting steps, records the finished ones and releases the lock', async () => {
    const dir = tempDir();
    const emulator = await startOciEmulator({ autoCreateUsers: true, latencyMs: 400 });
    onTestFinished(() => emulator.close());
    const key = (n: string): string =>
      `  - { name: ${n}, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..int${n}, passphrase: none, outputs: [ { type: file, path: out/${n}.pem } ] }\n`;
    writeFileSync(path.join(dir, 'keys.yaml'), `version: 1\nproviders:\n  ${ociProviderFor(dir, emulator)}\nkeys:\n${key('a')}${key('b')}${key('c')}`);

    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'apply', '--auto-approve', '--parallelism', '1'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        const before = stderr;
        stderr += d.toString();
        if (!before.includes(': creating...') && stderr.includes(': creating...')) child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    expect(stderr).toContain('Interrupt received.');
    expect(code, stdout + stderr).toBe(4);
    expect(stdout + stderr).toContain('1 created');
    expect(stderr).toMatch(/skipped \(interrupted\)/);

    const state = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8'));
    expect(Object.keys(state.keys)).toHaveLength(1);
    expect(state.intents).toEqual([]);
    const plan = await keyplan(dir, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 2 to create');
    expect((await keyplan(dir, ['apply', '--auto-approve'])).code).toBe(0);
  }, 60_000);
});
