/**
 * Saved plans with the built CLI against the sandbox: `plan --out` then `apply FILE`
 * makes exactly the saved changes; a plan that the state, the config or the live keys
 * moved away from is refused with exit 3 naming what moved, and nothing changes; `show`
 * prints what `plan` printed; `apply --json` streams NDJSON. No secret reaches a plan
 * file, JSON, NDJSON, Markdown or any other output.
 */
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';

const PASSPHRASE = 'saved-plan-Passphrase-4d1e';
const USER = 'ocid1.user.oc1..savedplan';
const ENV = { PASS: PASSPHRASE };

const key = (name: string, out: string): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: PASS }
    outputs: [ { type: file, path: ${out} } ]
`;
const CONFIG = `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n${key('deployer', 'out/deployer.pem')}${key('reader', 'out/reader.pem')}`;

/** A sandbox project; `run` keeps every run so the test can check them all for secrets. */
function project(config = CONFIG) {
  const dir = tempDir('keyplan-saved-plan-');
  writeFileSync(path.join(dir, 'keys.yaml'), config);
  const runs: CliRun[] = [];
  const run = async (args: string[], env: Record<string, string> = ENV): Promise<CliRun> => {
    const r = await keyplan(dir, args, env);
    runs.push(r);
    return r;
  };
  const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
  return { dir, run, runs, read };
}

/** No passphrase, no private key, no line of a delivered PEM in any output or file given. */
function expectNoSecrets(dir: string, texts: readonly string[]): void {
  const pemLines = ['deployer', 'reader'].flatMap((n) => {
    const pem = path.join(dir, 'out', `${n}.pem`);
    return existsSync(pem)
      ? readFileSync(pem, 'utf8')
          .split('\n')
          .filter((l) => l.length > 40)
      : [];
  });
  for (const text of texts) {
    expect(text).not.toContain(PASSPHRASE);
    expect(text).not.toContain('PRIVATE KEY');
    for (const line of pemLines) expect(text).not.toContain(line);
  }
}

const outputsOf = (runs: readonly CliRun[]): string[] => runs.flatMap((r) => [r.stdout, r.stderr]);

describe('keyplan plan --out / apply PLANFILE / show', () => {
  it('applies a fresh saved plan exactly, and show prints it as plan did', async () => {
    const p = project();
    const summary = path.join(p.dir, 'summary.md');
    const planned = await p.run(['plan', '--out', 'plan.kp', '--detailed-exitcode'], { GITHUB_STEP_SUMMARY: summary });
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stdout).toContain('Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(planned.stdout).toContain('Saved the plan to: plan.kp');
    expect(statSync(path.join(p.dir, 'plan.kp')).mode & 0o777).toBe(0o600);
    const file = JSON.parse(p.read('plan.kp'));
    expect(file).toMatchObject({ format: 'keyplan-plan', formatVersion: 1, changesPresent: true, config: { file: 'keys.yaml' }, state: { serial: 0 } });
    expect(file.plan.changes.map((c: { name: string; action: string }) => `${c.action} ${c.name}`)).toEqual(['create deployer', 'create reader']);
    expect(p.read('summary.md')).toContain('Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(p.read('summary.md')).toContain('<details>');

    const shown = await p.run(['show', 'plan.kp']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(planned.stdout.startsWith(shown.stdout)).toBe(true);
    const markdown = await p.run(['show', 'plan.kp', '--format', 'markdown']);
    expect(markdown.stdout).toContain('```diff');
    expect(markdown.stdout).toContain('Plan: 2 to create');

    // One run's JSON document and the same plan shown from its file are byte-identical.
    const asJson = await p.run(['plan', '--json', '--out', 'plan2.kp']);
    expect(asJson.code, asJson.stderr).toBe(0);
    const doc = JSON.parse(asJson.stdout);
    expect(doc.format_version).toBe('1.1');
    expect((await p.run(['show', 'plan2.kp', '--json'])).stdout).toBe(asJson.stdout);

    const applied = await p.run(['apply', 'plan.kp']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Applying the saved plan plan.kp. Plan: 2 to create');
    expect(applied.stdout).toContain('Apply complete! Keys: 2 created, 0 rotated, 0 updated, 0 deleted.');
    expect((await p.run(['plan', '--detailed-exitcode'])).code).toBe(0);
    expectNoSecrets(p.dir, [...outputsOf(p.runs), p.read('plan.kp'), p.read('plan2.kp'), p.read('summary.md')]);
  }, 120_000);

  it('refuses a plan that another apply made stale, with exit 3, and changes nothing', async () => {
    const p = project();
    expect((await p.run(['apply', '--auto-approve'])).code).toBe(0);
    expect((await p.run(['plan', '--rotate', 'deployer', '--out', 'plan.kp'])).code).toBe(0);
    expect((await p.run(['apply', '--auto-approve', '--rotate', 'reader'])).code).toBe(0);
    const before = p.read('.keyplan/state.json');
    const pemBefore = p.read('out/deployer.pem');

    const stale = await p.run(['apply', 'plan.kp']);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain('Error: Saved plan plan.kp is stale; it was not applied:');
    expect(stale.stderr).toMatch(/the state changed since the plan was made \(serial \d+ then, \d+ now\)/);
    expect(stale.stderr).toMatch(/key reader: oci\.api_key [0-9a-f:]+ of ocid1\.user\.oc1\.\.savedplan \(provider oci\) was deleted since the plan was made/);
    expect(stale.stderr).toContain('Nothing was changed. Run keyplan plan again');
    expect(p.read('.keyplan/state.json')).toBe(before);
    expect(p.read('out/deployer.pem')).toBe(pemBefore);
    expectNoSecrets(p.dir, [...outputsOf(p.runs), p.read('plan.kp')]);
  }, 120_000);

  it('refuses a plan of another keyplan version, or after the config changed, before touching the network', async () => {
    const p = project();
    expect((await p.run(['plan', '--out', 'plan.kp'])).code).toBe(0);
    const foreign = { ...JSON.parse(p.read('plan.kp')), keyplanVersion: '9.9.9' };
    writeFileSync(path.join(p.dir, 'foreign.kp'), JSON.stringify(foreign));
    const otherVersion = await p.run(['apply', 'foreign.kp']);
    expect(otherVersion.code).toBe(3);
    expect(otherVersion.stderr).toMatch(/it was made by keyplan v9\.9\.9; this is keyplan v\d+\.\d+\.\d+/);
    writeFileSync(path.join(p.dir, 'future.kp'), JSON.stringify({ ...foreign, formatVersion: 2 }));
    const otherFormat = await p.run(['apply', 'future.kp']);
    expect(otherFormat.code).toBe(3);
    expect(otherFormat.stderr).toContain('it was written by keyplan v9.9.9 in plan file format 2; this keyplan reads format 1 only');
    expect((await p.run(['show', 'future.kp'])).code).toBe(1);

    writeFileSync(path.join(p.dir, 'keys.yaml'), `${CONFIG}# a comment is a change too\n`);
    const stale = await p.run(['apply', 'plan.kp']);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/the config keys\.yaml changed since the plan was made \(sha256 [0-9a-f]{12}\.\.\. then, [0-9a-f]{12}\.\.\. now\)/);
    expect(existsSync(path.join(p.dir, 'out'))).toBe(false);
    expect(existsSync(path.join(p.dir, '.keyplan', 'state.json'))).toBe(false);
  }, 60_000);

  it('refuses a plan after a key was deleted out of band, naming the key, also as NDJSON', async () => {
    const p = project();
    expect((await p.run(['apply', '--auto-approve'])).code).toBe(0);
    expect((await p.run(['plan', '--rotate', 'deployer', '--out', 'plan.kp'])).code).toBe(0);
    const fingerprint = JSON.parse(p.read('.keyplan/state.json')).keys.deployer.current.id as string;
    // The same sandbox data the CLI uses, opened by the test, as a console user would.
    const emulator = await startOciEmulator({ dataDir: path.join(p.dir, '.keyplan', 'sandbox', 'oci'), autoCreateUsers: true });
    onTestFinished(() => emulator.close());
    emulator.deleteKeyOutOfBand(USER, fingerprint);

    const stale = await p.run(['apply', 'plan.kp']);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain(`key deployer: oci.api_key ${fingerprint} of ${USER} (provider oci) was deleted since the plan was made`);
    expect(stale.stderr).toContain('oci.api_key.deployer: the plan says rotate (requested');

    const asJson = await p.run(['apply', 'plan.kp', '--json']);
    expect(asJson.code).toBe(3);
    const lines = asJson.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; diagnostic?: { code: string; summary: string } });
    expect(lines.map((l) => l.type)).toEqual(['version', 'diagnostic']);
    expect(lines[1]?.diagnostic?.code).toBe('KP_PLANFILE_E0010');
    expect(lines[1]?.diagnostic?.summary).toContain(fingerprint);
    expect(emulator.listKeys(USER).map((k) => k.fingerprint)).not.toContain(fingerprint);
    expectNoSecrets(p.dir, [...outputsOf(p.runs), p.read('plan.kp')]);
  }, 120_000);

  it('refuses planning options with a plan file and apply --json without a way to approve; -f finds a moved config', async () => {
    const p = project();
    expect((await p.run(['plan', '--out', 'plan.kp'])).code).toBe(0);
    const withTarget = await p.run(['apply', 'plan.kp', '--target', 'deployer']);
    expect(withTarget.code).toBe(1);
    expect(withTarget.stderr).toContain('--target deployer cannot be given with plan.kp');
    const noApproval = await p.run(['apply', '--json']);
    expect(noApproval.code).toBe(1);
    expect(noApproval.stderr).toContain('pass --auto-approve, or apply a saved plan file');
    expect(existsSync(path.join(p.dir, 'out'))).toBe(false);

    // The plan names its config relative to where plan ran; elsewhere, -f finds it.
    const sub = path.join(p.dir, 'elsewhere');
    mkdirSync(sub);
    const lost = await keyplan(sub, ['apply', '../plan.kp'], ENV);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('../plan.kp was made from the config keys.yaml, which cannot be read from here');
    const found = await keyplan(sub, ['apply', '../plan.kp', '-f', '../keys.yaml'], ENV);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain('Apply complete! Keys: 2 created');
  }, 60_000);
});

describe('keyplan apply --json', () => {
  it('streams NDJSON: version first, planned changes, apply hooks, errors as diagnostics, the summary last', async () => {
    // `broken` cannot deliver its key (a file where its folder should be): apply_errored, exit 4.
    const p = project(
      `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n${key('deployer', 'out/deployer.pem')}${key('broken', 'blocked/broken.pem')}`,
    );
    writeFileSync(path.join(p.dir, 'blocked'), 'a file, not a folder\n');
    const r = await p.run(['apply', '--json', '--auto-approve']);
    expect(r.code, r.stderr).toBe(4);
    const lines = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(r.stdout.endsWith('\n')).toBe(true);
    for (const l of lines) {
      expect(typeof l['type']).toBe('string');
      expect(['info', 'warn', 'error']).toContain(l['@level']);
      expect(typeof l['@message']).toBe('string');
    }
    const types = lines.map((l) => l['type']);
    expect(types[0]).toBe('version');
    expect(types.slice(1, 4)).toEqual(['planned_change', 'planned_change', 'change_summary']);
    for (const t of ['apply_start', 'apply_complete', 'apply_errored', 'diagnostic']) expect(types).toContain(t);
    expect(lines.at(-1)).toMatchObject({ type: 'change_summary', changes: { create: 1, failed: 1, operation: 'apply' } });
    const errored = lines.find((l) => l['type'] === 'apply_errored');
    expect(errored).toMatchObject({ hook: { resource: { addr: 'oci.api_key.broken', name: 'broken' }, action: 'create' } });
    expect(typeof errored?.['@timestamp']).toBe('string');
    // Progress goes to the stream, not to stderr as text.
    expect(r.stderr).not.toContain('creating...');

    // Fixed, a saved plan applies with --json and no approval flag.
    rmSync(path.join(p.dir, 'blocked'));
    mkdirSync(path.join(p.dir, 'blocked'));
    expect((await p.run(['plan', '--out', 'fix.kp'])).code).toBe(0);
    const fixed = await p.run(['apply', 'fix.kp', '--json']);
    expect(fixed.code, fixed.stderr).toBe(0);
    const fixedTypes = fixed.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(fixedTypes).toEqual(['version', 'planned_change', 'change_summary', 'apply_start', 'apply_complete', 'change_summary']);
    expectNoSecrets(p.dir, outputsOf(p.runs));
  }, 120_000);
});
