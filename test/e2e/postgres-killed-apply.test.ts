/**
 * Two runners sharing a postgres state, through the built CLI: an apply SIGKILLed after
 * the provider created a key but before the state recorded it. Its database session ends
 * with the process, and the advisory lock with it, so the next apply, from the other
 * working copy, proceeds without force-unlock, deletes the unrecorded key the journal
 * names and creates the key anew: no orphan, the secret delivered, the password never shown.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';

const USER = 'ocid1.user.oc1..pgcrashtest';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // The run's one server may still be starting (postgres-global-setup.ts).
}, 120_000);
afterAll(async () => {
  await db?.close();
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an apply killed mid-run with a postgres state', () => {
  it('does not block the other copy, which repairs from the journal', async () => {
    const emulator = await startOciEmulator({ autoCreateUsers: true, activateAfterMs: 1_500 });
    onTestFinished(() => emulator.close());
    const copies = [tempDir(), tempDir()];
    for (const dir of copies) {
      writeFileSync(
        path.join(dir, 'keys.yaml'),
        `version: 1
state: { backend: postgres, url_env: KEYPLAN_PG_URL, name: ci }
providers:
  ${ociProviderFor(dir, emulator)}
keys:
  - name: job
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: JOB_PASSPHRASE }
    outputs: [ { type: file, path: out/job.pem } ]
`,
      );
    }
    const [first, second] = copies as [string, string];
    const env = { JOB_PASSPHRASE: 'pg-crash-test-passphrase', KEYPLAN_PG_URL: db.url };

    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'apply', '--auto-approve'], {
      cwd: first,
      env: { PATH: process.env.PATH ?? '', HOME: first, NO_COLOR: '1', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    // Killed once the journal names a key the provider has made, before the state records it.
    const liveId = await waitFor(async () => {
      const rows = await db.query<{ document: { liveId?: string } }>("SELECT document FROM keyplan.intents WHERE state = 'ci'").catch(() => undefined);
      const id = rows?.rows[0]?.document.liveId;
      return id !== undefined && emulator.listKeys(USER).some((k) => k.fingerprint === id) ? id : undefined;
    }, 30_000);
    child.kill('SIGKILL');
    await exited;

    const plan = await keyplan(second, ['plan'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`key ${liveId} was created by an interrupted apply and never recorded; it is deleted`);
    const apply = await keyplan(second, ['apply', '--auto-approve'], env);
    expect(apply.code, apply.stderr).toBe(0);

    const fingerprints = emulator.listKeys(USER).map((k) => k.fingerprint);
    expect(fingerprints).toHaveLength(1);
    expect(fingerprints).not.toContain(liveId);
    const recorded = await db.query<{ document: { current: { id: string } } }>("SELECT document FROM keyplan.keys WHERE state = 'ci'");
    expect(recorded.rows.map((r) => r.document.current.id)).toEqual(fingerprints);
    expect((await db.query("SELECT 1 FROM keyplan.intents WHERE state = 'ci'")).rowCount).toBe(0);
    expect(existsSync(path.join(second, 'out', 'job.pem'))).toBe(true);
    const again = await keyplan(first, ['plan', '--detailed-exitcode'], env);
    expect(again.code, again.stderr).toBe(0);
    for (const run of [plan, apply, again]) expect(run.stdout + run.stderr).not.toContain(db.password);
  }, 90_000);

  it('says which variable is missing, and never prints the URL of an unreachable database', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), 'version: 1\nstate: { backend: postgres, url_env: KEYPLAN_PG_URL }\nkeys: []\n');
    const missing = await keyplan(dir, ['plan'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('KEYPLAN_PG_URL');
    const url = new URL(db.url);
    url.port = '1';
    const unreachable = await keyplan(dir, ['plan'], { KEYPLAN_PG_URL: url.toString() });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot connect to the state database named by KEYPLAN_PG_URL (postgres state "keys")');
    expect(unreachable.stderr).not.toContain(db.password);
    expect(unreachable.stderr).not.toContain('postgres://');
  }, 60_000);
});
