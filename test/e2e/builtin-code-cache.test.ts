/**
 * bin/keyplan.js turns V8's optimising tier off for a command's short life. Node's builtin
 * modules carry a code cache that V8 only takes under its default flags; a builtin loaded
 * while the flags differ is compiled again from its source (some 17 ms of CPU in a no-change
 * plan of 2,000 keys). A probe preloaded into the CLI's process lists every builtin that
 * was loaded while keyplan's flags were in force: there must be none.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { REPO_ROOT, tempDir } from '../helpers/cli.js';

const PROBE = `
const v8 = require('node:v8');
const set = v8.setFlagsFromString;
let changed = false;
let seen = process.moduleLoadList.length;
const late = [];
const sweep = () => {
  const list = process.moduleLoadList;
  for (let i = seen; i < list.length; i++) if (changed && list[i].startsWith('NativeModule ')) late.push(list[i].slice(13));
  seen = list.length;
};
v8.setFlagsFromString = function (flags) {
  sweep();
  changed = !flags.includes('--max-opt=999');
  return set.call(this, flags);
};
process.on('exit', () => {
  sweep();
  process.stderr.write('probe: ' + JSON.stringify({ flagsSet: changed, late }) + '\\n');
});
`;

// The emulator runs in the test's process, as a provider would: a plan reads keys over the network.
const config = (url: string): string => `version: 1
state: { backend: local, path: state.json }
providers:
  osc: { type: outscale, region: eu-west-2, endpoint: "${url}/api/v1" }
keys:
  - name: ci
    kind: outscale.access_key
    provider: osc
    user_name: ci-bot
    outputs:
      - { type: file, path: out/ci.secret }
`;

interface Probe {
  readonly flagsSet: boolean;
  readonly late: readonly string[];
}

function run(cwd: string, probe: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; probe: Probe }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', probe, path.join(REPO_ROOT, 'bin', 'keyplan.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('probe: '));
      if (line === undefined) return reject(new Error(`no probe line in stderr:\n${stderr}`));
      resolve({ code: code ?? -1, probe: JSON.parse(line.slice(7)) as Probe });
    });
  });
}

describe('builtin modules and V8 flags', () => {
  it.each<[string[], number]>([
    [['--version'], 0],
    [['validate'], 0],
    [['plan', '--detailed-exitcode'], 2],
    [['apply', '--auto-approve'], 0],
  ])('keyplan %j loads every builtin under the default flags', async (args, exitCode) => {
    const emu = await startOutscaleEmulator();
    onTestFinished(() => emu.close());
    emu.addUser('ci-bot');
    const dir = tempDir();
    const probe = path.join(dir, 'probe.cjs');
    writeFileSync(probe, PROBE);
    writeFileSync(path.join(dir, 'keys.yaml'), config(emu.url));
    const env = { OSC_ACCESS_KEY: emu.account.accessKey, OSC_SECRET_KEY: emu.account.secretKey };
    const { code, probe: result } = await run(dir, probe, args, env);
    expect(code).toBe(exitCode);
    expect(result.flagsSet).toBe(true);
    expect(result.late).toEqual([]);
  });
});
