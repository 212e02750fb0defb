/**
 * An apply of many keys SIGKILLed while its steps go to the state's step journal (not the
 * first write, which makes the state file): the next plan folds the journal, deletes the
 * keys the dead run made but never recorded, and the next apply converges with every live
 * key recorded and every recorded key live: no orphan, nothing lost.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';

const KEYS = 150;
const PER_USER = 5;
const userOf = (i: number): string => `bot-${Math.floor(i / PER_USER)}`;

function config(): string {
  const keys = Array.from(
    { length: KEYS },
    (_, i) => `  - name: k${i}
    kind: outscale.access_key
    provider: osc
    user_name: ${userOf(i)}
    outputs: [ { type: file, path: out/k${i}.json } ]
`,
  );
  return `version: 1\nproviders:\n  osc: { type: outscale, endpoint: sandbox }\nkeys:\n${keys.join('')}`;
}

async function waitFor(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('an apply killed while it appends to the step journal', () => {
  it('leaves no key unrecorded and loses none once the next runs fold the journal and converge', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config());
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'apply', '--auto-approve'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    let exited = false;
    const exit = new Promise((r) => child.on('exit', () => r((exited = true))));
    const steps = path.join(dir, '.keyplan', 'state.json.steps');
    await waitFor(() => existsSync(steps) && readFileSync(steps, 'utf8').split('\n').length > 60, 60_000);
    child.kill('SIGKILL');
    await exit;
    expect(exited).toBe(true);
    // Killed mid-run: the journal is still there, not folded.
    expect(existsSync(steps)).toBe(true);

    const lockId = /force-unlock ([0-9a-f-]{36})/.exec((await keyplan(dir, ['plan'])).stderr)?.[1];
    expect((await keyplan(dir, ['force-unlock', lockId as string])).code).toBe(0);
    const plan = await keyplan(dir, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(existsSync(steps)).toBe(false);
    const apply = await keyplan(dir, ['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'])).code).toBe(0);

    const state = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')) as {
      keys: Record<string, { owner: string; current: { id: string } }>;
    };
    // (Intents that named a deleted orphan by its tag go at the next tidy: journal.ts rule 2.)
    expect(Object.keys(state.keys)).toHaveLength(KEYS);
    const emu = await startOutscaleEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'outscale') });
    onTestFinished(() => emu.close());
    const users = [...new Set(Array.from({ length: KEYS }, (_, i) => userOf(i)))];
    const live = users.flatMap((u) => emu.listAccessKeys(u).map((k) => `${u}/${k.accessKeyId}`)).sort();
    const recorded = Object.values(state.keys)
      .map((r) => `${r.owner}/${r.current.id}`)
      .sort();
    expect(live).toEqual(recorded);
  }, 180_000);
});
