/**
 * The apply prompt on a real terminal (a pseudo-terminal, through the built CLI): Ctrl-C
 * and Ctrl-D cancel with "Apply cancelled." and exit 1, with no stack trace, nothing
 * created, the state lock released and the terminal back in line mode; typing yes and
 * Enter applies. A SIGINT or SIGTERM sent from elsewhere while stdin is a pipe (Ctrl-C
 * in `cat | keyplan apply`, `kill -INT`) cancels the prompt the same way.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';
import { keyplanOnTerminal } from '../helpers/pty.js';

const PROMPT = 'Enter a value:';

function project(): { dir: string; lockFile: string } {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'keys.yaml'),
    `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n  - { name: a, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..pty, passphrase: none, outputs: [ { type: file, path: out/a.pem } ] }\n`,
  );
  return { dir, lockFile: path.join(dir, '.keyplan', 'state.json.lock') };
}

describe('the apply prompt on a terminal', () => {
  it.each([
    ['Ctrl-C', '\x03'],
    ['Ctrl-D', '\x04'],
  ])(
    'cancels on %s, releasing the lock',
    async (_key, keys) => {
      const { dir, lockFile } = project();
      const run = await keyplanOnTerminal(dir, ['apply'], PROMPT, keys);
      expect(run.typed, run.output).toBe(true);
      expect(run.output).toContain('Apply cancelled.');
      expect(run.code, run.output).toBe(1);
      expect(run.output).not.toMatch(/\n\s+at /);
      expect(run.output).not.toContain('This is a bug');
      expect(run.output).not.toContain('Interrupt received');
      expect(run.cooked).toBe(true);
      expect(existsSync(lockFile)).toBe(false);
      const plan = await keyplan(dir, ['plan']);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('Plan: 1 to create');
    },
    60_000,
  );

  it('applies when yes is typed', async () => {
    const { dir } = project();
    const run = await keyplanOnTerminal(dir, ['apply'], PROMPT, 'yes\r');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('1 created');
  }, 60_000);
});

describe('the apply prompt with stdin a pipe', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'cancels on %s at once, releasing the lock',
    async (signal) => {
      const { dir, lockFile } = project();
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'apply'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => {
        child.stderr.on('data', (d: Buffer) => {
          const before = stderr;
          stderr += d.toString();
          if (!before.includes(PROMPT) && stderr.includes(PROMPT)) child.kill(signal);
        });
        child.on('exit', resolve);
      });
      expect(stderr).toContain('Apply cancelled.');
      expect(code, stderr).toBe(1);
      expect(stderr).not.toContain('Interrupt received');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(lockFile)).toBe(false);
    },
    60_000,
  );
});
