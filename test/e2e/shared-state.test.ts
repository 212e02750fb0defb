/**
 * Two runners, one truth: two folders with the same keys.yaml (as two CI runners check
 * out the same repository) keep their state in one PostgreSQL database. An apply in the
 * first leaves nothing for a plan in the second to do, and a rotation in the second is
 * what the first then sees. The built CLI against one OCI emulator and a real server
 * (test/helpers/postgres-db.ts); the database password appears in no output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator, type OciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';

const USER = 'ocid1.user.oc1..sharedstate';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 180_000);
afterAll(() => db?.close());

interface Runner {
  readonly dir: string;
  run(args: string[]): Promise<CliRun>;
}

/** A working copy: a folder with the keys.yaml every copy shares (state `name` in the one database). */
function runner(emulator: OciEmulator, name: string, user: string): Runner {
  const dir = tempDir('keyplan-runner-');
  writeFileSync(
    path.join(dir, 'keys.yaml'),
    `version: 1
state: { backend: postgres, url_env: KEYPLAN_PG_URL, name: ${name} }
providers:
  ${ociProviderFor(dir, emulator)}
keys:
  - name: job
    kind: oci.api_key
    provider: oci
    user: ${user}
    passphrase: { env: JOB_PASSPHRASE }
    outputs: [ { type: file, path: out/job.pem } ]
`,
  );
  const env = { KEYPLAN_PG_URL: db.url, JOB_PASSPHRASE: 'shared-state-passphrase' };
  return { dir, run: (args) => keyplan(dir, args, env) };
}

async function emulator(): Promise<OciEmulator> {
  const emu = await startOciEmulator({ autoCreateUsers: true });
  onTestFinished(() => emu.close());
  return emu;
}

describe('two working copies sharing one postgres state', () => {
  it('see each other’s applies and rotations', async () => {
    const oci = await emulator();
    const first = runner(oci, 'team', USER);
    const second = runner(oci, 'team', USER);
    // The two keys.yaml are byte for byte the same file, as in two checkouts.
    expect(readFileSync(path.join(first.dir, 'keys.yaml'), 'utf8')).toBe(readFileSync(path.join(second.dir, 'keys.yaml'), 'utf8'));
    const runs: CliRun[] = [];
    const step = async (who: Runner, args: string[]): Promise<CliRun> => {
      const r = await who.run(args);
      runs.push(r);
      return r;
    };

    const apply = await step(first, ['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('1 created');
    const [created] = oci.listKeys(USER).map((k) => k.fingerprint);

    const plan = await step(second, ['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');

    const rotate = await step(second, ['apply', '--auto-approve', '--rotate', 'job']);
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout).toContain('1 rotated');
    const live = oci.listKeys(USER).map((k) => k.fingerprint);
    expect(live).toHaveLength(1);
    expect(live[0]).not.toBe(created);

    const seen = await step(first, ['plan', '--detailed-exitcode']);
    expect(seen.code, seen.stdout + seen.stderr).toBe(0);
    expect(seen.stdout).toContain('No changes.');
    const show = await step(first, ['state', 'show', 'job']);
    expect(show.stdout).toMatch(new RegExp(`^id +${live[0]}$`, 'm'));

    for (const r of runs) expect(`${r.stdout}${r.stderr}`).not.toContain(db.password);
  }, 120_000);

  it('run two applies started together one after the other with --lock-timeout: one key, not two', async () => {
    const oci = await emulator();
    const user = 'ocid1.user.oc1..race';
    const [a, b] = [runner(oci, 'race', user), runner(oci, 'race', user)];
    const runs = await Promise.all([a, b].map((r) => r.run(['apply', '--auto-approve', '--lock-timeout', '60s'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const outputs = runs.map((r) => r.stdout);
    expect(outputs.filter((o) => o.includes('1 created'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('No changes.'))).toHaveLength(1);
    // The second waited for the first's lock (an apply holds it for its whole run), then found its key.
    expect(runs.filter((r) => r.stderr.includes('Waiting for the state lock held by'))).toHaveLength(1);
    expect(oci.listKeys(user)).toHaveLength(1);
  }, 120_000);
});
