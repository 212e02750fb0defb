/**
 * A closed stdout (`keyplan plan | head -1`) through the built CLI: the run ends without a
 * stack trace, releases the state lock (no lock file is left) and keeps the exit code of
 * what it did (see src/cli/closed-output.ts): a computed plan exits as usual, a listing
 * exits 0, and an apply whose plan could not be shown in full changes nothing. A stderr
 * closed mid-apply stops the apply as on Ctrl-C, recording what finished.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStateStore } from '../../src/state/local-store.js';
import { setCurrent } from '../../src/state/mutations.js';
import { keyplan, tempDir } from '../helpers/cli.js';
import { keyplanIntoClosedPipe, type ClosedPipeRun } from '../helpers/closed-pipe.js';

/** `count` keys to create: 60 make a plan of about 13 kB, several times the one-page pipe. */
function project(count = 60): { dir: string; statePath: string; lockFile: string } {
  const dir = tempDir();
  const keys = Array.from(
    { length: count },
    (_, i) =>
      `  - { name: k${i}, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..pipe${i}, passphrase: none, outputs: [ { type: file, path: out/k${i}.pem } ] }\n`,
  );
  writeFileSync(
    path.join(dir, 'keys.yaml'),
    `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:${count === 0 ? ' []' : ''}\n${keys.join('')}`,
  );
  const statePath = path.join(dir, '.keyplan', 'state.json');
  return { dir, statePath, lockFile: `${statePath}.lock` };
}

function expectClean(run: ClosedPipeRun): void {
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toContain('EPIPE');
  expect(run.stderr).not.toContain('This is a bug');
}

describe('a closed stdout', () => {
  it('ends a plan cleanly with its exit code, and an apply whose plan was cut short changes nothing', async () => {
    const { dir, lockFile } = project();
    const plan = await keyplanIntoClosedPipe(dir, ['plan', '--detailed-exitcode']);
    expect(plan.first).toMatch(/^Key actions are indicated/);
    expectClean(plan);
    expect(plan.code, plan.stderr).toBe(2);
    expect(existsSync(lockFile)).toBe(false);

    const apply = await keyplanIntoClosedPipe(dir, ['apply', '--auto-approve']);
    expectClean(apply);
    expect(apply.stderr).toContain('stdout was closed before the whole plan was shown, so nothing is applied.');
    expect(apply.stderr).toContain('Apply cancelled.');
    expect(apply.stderr).not.toContain('creating...');
    expect(apply.code).toBe(1);
    expect(existsSync(lockFile)).toBe(false);
    const after = await keyplan(dir, ['plan']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('Plan: 60 to create');
  }, 60_000);

  it('ends a long state list cleanly', async () => {
    const { dir, statePath } = project(0);
    const store = new LocalStateStore(statePath);
    let state = await store.read();
    for (let i = 0; i < 400; i++) {
      const owner = `ocid1.user.oc1..list${i}`;
      const identity = { name: `k${String(i).padStart(3, '0')}`, kind: 'oci.api_key', provider: 'oci', owner };
      state = setCurrent(state, identity, { id: `fp-${i}`, createdAt: '2025-01-02T03:04:05.000Z', attributes: { user: owner } });
    }
    await store.write(state);
    const list = await keyplanIntoClosedPipe(dir, ['state', 'list']);
    expect(list.first).toMatch(/^k000\toci\.api_key\tfp-0\n/);
    expectClean(list);
    expect(list.code).toBe(0);
  }, 60_000);
});

describe('a closed stderr', () => {
  it('stops an apply as on Ctrl-C, recording what finished and releasing the lock', async () => {
    const { dir, lockFile } = project(6);
    const apply = await keyplanIntoClosedPipe(dir, ['apply', '--auto-approve', '--parallelism', '1'], 'stderr');
    expect(apply.first).toMatch(/^k0: creating\.\.\./);
    expect(apply.code).toBe(4);
    expect(existsSync(lockFile)).toBe(false);
    const plan = await keyplan(dir, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    const left = Number(/Plan: (\d+) to create/.exec(plan.stdout)?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(6);
  }, 60_000);
});
