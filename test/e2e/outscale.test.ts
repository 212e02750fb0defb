/**
 * OUTSCALE access keys end to end: the built CLI (and, where a clock must move, the engine
 * in-process) against the sandbox's OUTSCALE emulator. Create and deliver, converge,
 * change state in place, rotate by age, refuse the quota, recover a marked key with
 * import, and fail an undeliverable create without leaving a key or a secret behind.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Workspace } from '../../src/engine.js';
import { startOutscaleEmulator, type OutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { silentReporter } from '../../src/report/reporter.js';
import { CALLER_OWNER, OutscaleAdapter } from '../../src/providers/outscale/index.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';

const DAY = 86_400_000;
const USER = 'etl-bot';

const config = (keys: string): string => `version: 1
providers:
  osc: { type: outscale, endpoint: sandbox }
keys:
${keys}`;

const etl = (state = 'ACTIVE', extra = ''): string => `  - name: etl
    kind: outscale.access_key
    provider: osc
    user_name: ${USER}
    expires_in: 90d
    state: ${state}
    rotation: { max_age: 30d }
    outputs:
      - { type: file, path: out/etl.json }
      - { type: env_file, path: out/etl.env, prefix: OSC_ }
      - { type: osc_config, path: out/osc/config.json, profile: etl }
${extra}`;

/** The sandbox's OUTSCALE data, read through a second emulator on the same folder. */
async function emulatorOf(dir: string): Promise<OutscaleEmulator> {
  const emu = await startOutscaleEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'outscale') });
  onTestFinished(() => emu.close());
  return emu;
}

/** Every file keyplan itself writes (state, plan files, logs), for the secret scan. */
function keyplanTexts(dir: string, runs: readonly CliRun[]): string[] {
  const texts = runs.flatMap((r) => [r.stdout, r.stderr]);
  for (const f of ['.keyplan/state.json', 'debug.log', 'plan.kp']) {
    if (existsSync(path.join(dir, f))) texts.push(readFileSync(path.join(dir, f), 'utf8'));
  }
  return texts;
}

function runner(dir: string): { runs: CliRun[]; run: (args: string[]) => Promise<CliRun> } {
  const runs: CliRun[] = [];
  const env = { KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: path.join(dir, 'debug.log') };
  return {
    runs,
    run: async (args) => {
      const r = await keyplan(dir, args, env);
      runs.push(r);
      return r;
    },
  };
}

describe('outscale.access_key against the sandbox', () => {
  it('creates, delivers, converges, deactivates in place and rotates by age, never printing the secret', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, config(etl()));
    const { runs, run } = runner(dir);

    const apply1 = await run(['apply', '--auto-approve']);
    expect(apply1.code, apply1.stderr).toBe(0);
    expect(apply1.stdout).toContain('+ outscale.access_key "etl" {');
    expect(apply1.stdout).toContain('secret_key    = (sensitive value)');
    expect(apply1.stdout).toContain('Apply complete! Keys: 1 created, 0 rotated, 0 updated, 0 deleted.');

    const delivered = JSON.parse(readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8')) as Record<string, string>;
    const secret = delivered['secret_key'] as string;
    const id = delivered['access_key'] as string;
    expect(secret).toMatch(/^[A-Z0-9]{40}$/);
    expect(id).toMatch(/^[A-Z0-9]{20}$/);
    for (const f of ['out/etl.json', 'out/etl.env', 'out/osc/config.json']) expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
    const env = readFileSync(path.join(dir, 'out', 'etl.env'), 'utf8');
    expect(env).toContain(`OSC_ACCESS_KEY=${id}\n`);
    expect(env).toContain(`OSC_SECRET_KEY=${secret}\n`);
    const profile = (JSON.parse(readFileSync(path.join(dir, 'out', 'osc', 'config.json'), 'utf8')) as Record<string, Record<string, unknown>>)['etl'];
    expect(profile).toMatchObject({ 'x-keyplan-key': 'etl', access_key: id, secret_key: secret, region: 'eu-west-2' });

    const emu = await emulatorOf(dir);
    const [stored] = emu.listAccessKeys(USER);
    expect(stored).toMatchObject({ accessKeyId: id, state: 'ACTIVE' });
    const expiry = stored?.expirationDate;
    expect(expiry).toBeDefined();
    // The delivered osc_config profile works: it signs a request the emulator accepts, as the EIM user.
    expect(apply1.stderr).toContain(`[id=${id}]`);
    const asEtl = new OutscaleAdapter({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    // The profile's endpoint named the CLI run's sandbox port; the block's endpoint wins over it.
    const block = { config_file: 'out/osc/config.json', profile: 'etl', endpoint: emu.url };
    await asEtl.configure({ block: { name: 'check', type: 'outscale', settings: block }, baseDir: dir, env: { HOME: dir } });
    const own = await asEtl.list({ kind: 'outscale.access_key', owner: CALLER_OWNER });
    expect(own.keys.map((k) => [k.id, k.marker])).toEqual([[id, 'etl']]);

    const plan2 = await run(['plan', '--detailed-exitcode', '--out', 'plan.kp']);
    expect(plan2.code, plan2.stdout + plan2.stderr).toBe(0);
    expect(plan2.stdout).toContain('No changes.');

    writeFileSync(file, config(etl('INACTIVE')));
    const plan3 = await run(['plan', '--detailed-exitcode']);
    expect(plan3.code, plan3.stderr).toBe(2);
    expect(plan3.stdout).toContain('  ~ outscale.access_key "etl" {');
    expect(plan3.stdout).toMatch(/~ state += "ACTIVE" -> "INACTIVE"/);
    expect(plan3.stdout).toContain('Plan: 0 to create, 0 to rotate, 1 to update, 0 to delete.');
    const apply3 = await run(['apply', '--auto-approve']);
    expect(apply3.code, apply3.stderr).toBe(0);
    expect(emu.listAccessKeys(USER)).toEqual([expect.objectContaining({ accessKeyId: id, state: 'INACTIVE', expirationDate: expiry })]);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);

    // 31 days later (the engine's clock; the emulator's stays real): max_age 30d rotates.
    writeFileSync(file, config(etl()));
    const ws = await Workspace.open(file, { env: {}, reporter: silentReporter, now: () => Date.now() + 31 * DAY }, { checkEnv: false });
    try {
      const lock = await ws.store.lock('test');
      try {
        const planned = await ws.plan(await ws.store.read());
        expect(planned.plan.changes.map((c) => [c.name, c.action, c.reason])).toEqual([['etl', 'rotate', 'max_age']]);
        const result = await ws.apply(planned);
        expect(result.counts).toMatchObject({ rotated: 1, failed: 0 });
      } finally {
        await ws.store.unlock(lock.id);
      }
    } finally {
      await ws.close();
    }
    const rotated = JSON.parse(readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8')) as Record<string, string>;
    expect(rotated['access_key']).not.toBe(id);
    expect(emu.listAccessKeys(USER)).toEqual([expect.objectContaining({ accessKeyId: rotated['access_key'], state: 'ACTIVE' })]);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);

    const log = readFileSync(path.join(dir, 'debug.log'), 'utf8');
    expect(log).toContain('"message":"oapi call"');
    for (const text of keyplanTexts(dir, runs)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(rotated['secret_key']);
      expect(text).not.toContain(emu.account.secretKey);
    }
  }, 120_000);

  it('refuses an 11th key of one user at plan time, and apply changes nothing', async () => {
    const dir = tempDir();
    const keys = Array.from(
      { length: 11 },
      (_, i) => `  - name: k${i}
    kind: outscale.access_key
    provider: osc
    user_name: crowded
    outputs: [{ type: file, path: out/k${i}.json }]
`,
    ).join('');
    writeFileSync(path.join(dir, 'keys.yaml'), config(keys));
    const plan = await keyplan(dir, ['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('user crowded would need 11 access keys; OUTSCALE allows 10 per user');
    const apply = await keyplan(dir, ['apply', '--auto-approve']);
    expect(apply.code).toBe(1);
    expect((await emulatorOf(dir)).listAccessKeys('crowded')).toEqual([]);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('deletes the new key again when no output can be written, leaving no secret anywhere', async () => {
    const dir = tempDir();
    // A file where the output's folder should be: no one can write below it.
    writeFileSync(path.join(dir, 'blocked'), 'not a folder');
    writeFileSync(
      path.join(dir, 'keys.yaml'),
      config(`  - name: lost
    kind: outscale.access_key
    provider: osc
    user_name: nowhere
    outputs:
      - { type: file, path: out/lost.json }
      - { type: env_file, path: blocked/lost.env }
`),
    );
    const { runs, run } = runner(dir);
    const apply = await run(['apply', '--auto-approve']);
    expect(apply.code).toBe(4);
    expect(apply.stderr).toContain("the new key's secret could not be written to its outputs, so the key was deleted again");
    expect(apply.stderr).toContain('env_file output blocked/lost.env');
    const emu = await emulatorOf(dir);
    expect(emu.listAccessKeys('nowhere')).toEqual([]);
    // The file output written before the failure was removed again.
    expect(existsSync(path.join(dir, 'out', 'lost.json'))).toBe(false);
    const state = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')) as { keys: object; intents: unknown[] };
    expect(state.keys).toEqual({});
    expect(state.intents).toEqual([]);
    // No file outside the emulator's own store holds a 40-character secret key.
    const scanned = [
      ...keyplanTexts(dir, runs),
      ...listFiles(dir)
        .filter((f) => !f.includes(`${path.sep}sandbox${path.sep}`))
        .map((f) => readFileSync(f, 'utf8')),
    ];
    for (const text of scanned) expect(text).not.toMatch(/(?<![A-Z0-9])[A-Z0-9]{40}(?![A-Z0-9])/);
  }, 60_000);

  it('shows a marked key missing from state as recoverable, and imports it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, config(etl()));
    expect((await keyplan(dir, ['apply', '--auto-approve'])).code).toBe(0);
    const id = (JSON.parse(readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8')) as Record<string, string>)['access_key'] as string;
    const forget = await keyplan(dir, ['state', 'rm', 'etl']);
    expect(forget.code, forget.stderr).toBe(0);

    const plan = await keyplan(dir, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`keyplan import etl ${id}`);
    expect(plan.stdout).toContain(`outscale.access_key ${id} (owner ${USER}, active`);

    const imported = await keyplan(dir, ['import', 'etl', id]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Imported etl: outscale.access_key ${id} (owner ${USER}, active`);
    expect(imported.stdout).toContain('Its secret cannot be read back from the provider');
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
    const again = await keyplan(dir, ['import', 'etl', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`etl already manages ${id}`);
  }, 60_000);
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : [full];
  });
}
