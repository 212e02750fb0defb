/**
 * Moving a local state into the postgres backend, as the README tells a team to: change
 * `state:`, then `keyplan state push .keyplan/state.json`. Against a real PostgreSQL
 * server (test/helpers/postgres-db.ts). The pushed state reads back byte for byte, an
 * older or equal serial is refused, and the database password appears in no output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyplanState } from '../../model/state.js';
import { LocalStateStore } from '../../state/local-store.js';
import { setCurrent } from '../../state/mutations.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres-db.js';
import { tempDir } from '../../../test/helpers/cli.js';
import { runMain, type MainRun } from '../../../test/helpers/main-io.js';

const OWNER = 'ocid1.user.oc1..a';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 180_000);
afterAll(() => db?.close());

function withKey(state: KeyplanState, name: string): KeyplanState {
  return setCurrent(
    state,
    { name, kind: 'oci.api_key', provider: 'oci', owner: OWNER },
    { id: `fp-${name}`, createdAt: '2025-01-02T03:04:05.000Z', attributes: { user: OWNER } },
  );
}

/** A folder with a local state of `serials` writes, and two configs on it: `local.yaml` and `shared.yaml` (postgres, state `name`). */
async function project(name: string, serials: number) {
  const dir = tempDir('keyplan-state-pg-');
  const localFile = path.join(dir, 'local.yaml');
  writeFileSync(localFile, 'version: 1\nproviders: {}\nkeys: []\n');
  const sharedFile = path.join(dir, 'shared.yaml');
  writeFileSync(sharedFile, `version: 1\nstate: { backend: postgres, url_env: KEYPLAN_PG_URL, name: ${name} }\nproviders: {}\nkeys: []\n`);
  const statePath = path.join(dir, '.keyplan', 'state.json');
  const store = new LocalStateStore(statePath);
  let state = await store.read();
  for (let i = 0; i < serials; i++) state = await store.write(withKey(state, `key${i}`));
  const env = { KEYPLAN_PG_URL: db.url };
  const run = (argv: string[]): Promise<MainRun> => runMain(argv, { env });
  return { dir, localFile, sharedFile, statePath, store, state, run };
}

function expectNoPassword(...runs: MainRun[]): void {
  for (const r of runs) expect(`${r.stdout}${r.stderr}`).not.toContain(db.password);
}

describe('state push into postgres', () => {
  it('moves a local state into an empty database; pull gives the same document back', async () => {
    const p = await project('moved', 3);
    const push = await p.run(['state', 'push', p.statePath, '-f', p.sharedFile]);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toBe(`Pushed ${p.statePath} to postgres state "moved" (it held no state): lineage ${p.state.lineage}, serial 3.\n`);
    const pull = await p.run(['state', 'pull', '-f', p.sharedFile]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toBe(readFileSync(p.statePath, 'utf8'));
    const list = await p.run(['state', 'list', '-f', p.sharedFile]);
    expect(list.stdout).toBe('key0\toci.api_key\tfp-key0\nkey1\toci.api_key\tfp-key1\nkey2\toci.api_key\tfp-key2\n');
    expectNoPassword(push, pull, list);
  });

  it('refuses an older or equal serial, and another lineage, naming both; the stored state is unchanged', async () => {
    const p = await project('guarded', 2);
    expect((await p.run(['state', 'push', p.statePath, '-f', p.sharedFile])).code).toBe(0);
    const again = await p.run(['state', 'push', p.statePath, '-f', p.sharedFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`refusing to push ${p.statePath}: its serial 2 is not newer than serial 2 of postgres state "guarded"`);

    const older = path.join(p.dir, 'older.json');
    writeFileSync(older, JSON.stringify({ ...p.state, serial: 1 }));
    const refused = await p.run(['state', 'push', older, '-f', p.sharedFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('its serial 1 is not newer than serial 2 of postgres state "guarded"');

    const other = await project('elsewhere', 4);
    const foreign = await other.run(['state', 'push', other.statePath, '-f', p.sharedFile]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(`it has lineage ${other.state.lineage}, but postgres state "guarded" has lineage ${p.state.lineage}`);

    const pull = await p.run(['state', 'pull', '-f', p.sharedFile]);
    expect(pull.stdout).toBe(readFileSync(p.statePath, 'utf8'));

    // --force replaces the records, keeps the stored lineage, and moves the serial past both.
    const forced = await other.run(['state', 'push', other.statePath, '-f', p.sharedFile, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    const after = JSON.parse((await p.run(['state', 'pull', '-f', p.sharedFile])).stdout) as KeyplanState;
    expect(after).toEqual({ ...other.state, lineage: p.state.lineage, serial: 4 });
    const back = await p.run(['state', 'push', older, '-f', p.sharedFile, '--force']);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse((await p.run(['state', 'pull', '-f', p.sharedFile])).stdout)).toEqual({ ...p.state, serial: 5 });
    expectNoPassword(again, refused, foreign, pull, forced, back);
  });

  it('pushes a newer serial of the same lineage', async () => {
    const p = await project('advanced', 1);
    expect((await p.run(['state', 'push', p.statePath, '-f', p.sharedFile])).code).toBe(0);
    const next = await p.store.write(withKey(p.state, 'added'));
    const push = await p.run(['state', 'push', p.statePath, '-f', p.sharedFile]);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain(`(it held serial 1): lineage ${next.lineage}, serial 2.`);
    expect((await p.run(['state', 'pull', '-f', p.sharedFile])).stdout).toBe(readFileSync(p.statePath, 'utf8'));
  });
});
