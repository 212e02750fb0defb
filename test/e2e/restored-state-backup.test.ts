/**
 * Restoring an older state backup after a rotation, against the sandbox's OUTSCALE
 * emulator: the restored state names the pre-rotation key, the rotated key is live and
 * tagged for the same name. The plan must not say "No changes" (that key would stay live
 * forever); it shows the key as recoverable with the commands that adopt it. A state
 * mended by hand so that two records name one key is refused before anything runs.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';

const CONFIG = `version: 1
providers:
  osc: { type: outscale, endpoint: sandbox }
keys:
  - name: etl
    kind: outscale.access_key
    provider: osc
    user_name: etl-bot
    rotation: { max_age: 30d, overlap: 1d }
    outputs:
      - { type: file, path: out/etl.json }
`;

const accessKeyOf = (dir: string): string =>
  (JSON.parse(readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8')) as Record<string, string>)['access_key'] as string;

describe('a state backup restored after a rotation', () => {
  it('plans the rotated key as recoverable and counts it, and the advice converges', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), CONFIG);
    const statePath = path.join(dir, '.keyplan', 'state.json');
    const backup = path.join(dir, 'state.backup.json');

    expect((await keyplan(dir, ['apply', '--auto-approve'])).code).toBe(0);
    const first = accessKeyOf(dir);
    copyFileSync(statePath, backup);
    const rotate = await keyplan(dir, ['apply', '--auto-approve', '--rotate', 'etl']);
    expect(rotate.code, rotate.stderr).toBe(0);
    const second = accessKeyOf(dir);
    expect(second).not.toBe(first);
    copyFileSync(backup, statePath);

    const plan = await keyplan(dir, ['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).not.toContain('No changes');
    expect(plan.stdout).toContain(`carries keyplan's marker for "etl", but the state records "etl" as ${first}`);
    expect(plan.stdout).toContain(`run: keyplan state rm etl, then keyplan import etl ${second}`);
    expect(plan.stdout).toContain('Plan: 1 to import, 0 to create, 0 to rotate, 0 to update, 0 to delete.');
    const json = await keyplan(dir, ['plan', '--json']);
    expect(json.stdout).toContain('"import":1');

    // Following the advice (and deleting the key it leaves behind) converges.
    expect((await keyplan(dir, ['state', 'rm', 'etl'])).code).toBe(0);
    const imported = await keyplan(dir, ['import', 'etl', second]);
    expect(imported.code, imported.stderr).toBe(0);
    const imported2 = await keyplan(dir, ['plan', '--detailed-exitcode']);
    expect(imported2.code).toBe(2);
    expect(imported2.stdout).toContain(`carries keyplan's marker for "etl", but the state records "etl" as ${second}`);
    // The pre-rotation key is the one left behind now; once it is gone, nothing is left to do.
    const emu = await startOutscaleEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'outscale') });
    onTestFinished(() => emu.close());
    emu.deleteKeyOutOfBand(first);
    const clean = await keyplan(dir, ['plan', '--detailed-exitcode']);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toContain('No changes.');
  }, 120_000);

  it('refuses a state whose two records name one live key, and touches nothing', async () => {
    const dir = tempDir();
    const two = `${CONFIG}  - name: etl2
    kind: outscale.access_key
    provider: osc
    user_name: etl-bot
    outputs:
      - { type: file, path: out/etl2.json }
`;
    writeFileSync(path.join(dir, 'keys.yaml'), two);
    expect((await keyplan(dir, ['apply', '--auto-approve'])).code).toBe(0);
    const statePath = path.join(dir, '.keyplan', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { keys: Record<string, { current: { id: string } }> };
    const shared = state.keys['etl']?.current.id as string;
    (state.keys['etl2'] as { current: { id: string } }).current.id = shared;
    const edited = `${JSON.stringify(state, null, 2)}\n`;
    writeFileSync(statePath, edited);

    for (const args of [
      ['plan', '--detailed-exitcode'],
      ['apply', '--auto-approve', '--rotate', 'etl2'],
    ]) {
      const run = await keyplan(dir, args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(`${statePath}: keys.etl2.current.id: keys "etl" and "etl2" both name live key ${shared}`);
      expect(run.stderr).not.toContain('    at ');
    }
    expect(readFileSync(statePath, 'utf8')).toBe(edited);
    const emu = await startOutscaleEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'outscale') });
    onTestFinished(() => emu.close());
    expect(emu.listAccessKeys('etl-bot').map((k) => k.accessKeyId)).toContain(shared);
    expect(emu.listAccessKeys('etl-bot')).toHaveLength(2);
  }, 120_000);
});
