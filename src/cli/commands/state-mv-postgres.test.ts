/**
 * `keyplan state mv` on the postgres backend (a real PostgreSQL server,
 * test/helpers/postgres-db.ts): one write under the lock moves the record, the lineage is
 * kept and the serial goes up by one; a refused move leaves the stored document as it was.
 */
import { writeFileSync } from 'node:fs';
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

describe('state mv on postgres', () => {
  it('moves a key in one write, and a refused move changes nothing', async () => {
    const dir = tempDir('keyplan-state-mv-pg-');
    const statePath = path.join(dir, 'state.json');
    const store = new LocalStateStore(statePath);
    let state = await store.read();
    for (const name of ['a', 'b']) {
      state = setCurrent(
        state,
        { name, kind: 'oci.api_key', provider: 'oci', owner: OWNER },
        { id: `fp-${name}`, createdAt: '2025-01-02T03:04:05.000Z', attributes: {} },
      );
    }
    state = await store.write(state);
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, 'version: 1\nstate: { backend: postgres, url_env: KEYPLAN_PG_URL, name: mv }\nproviders: {}\nkeys: []\n');
    const run = (argv: string[]): Promise<MainRun> => runMain([...argv, '-f', file], { env: { KEYPLAN_PG_URL: db.url } });
    expect((await run(['state', 'push', statePath])).code).toBe(0);

    const moved = await run(['state', 'mv', 'a', 'c', '--lock-timeout', '2s']);
    expect(moved.code, moved.stderr).toBe(0);
    const pulled = async (): Promise<KeyplanState> => JSON.parse((await run(['state', 'pull'])).stdout) as KeyplanState;
    const after = await pulled();
    expect(after.lineage).toBe(state.lineage);
    expect(after.serial).toBe(state.serial + 1);
    expect(Object.keys(after.keys).sort()).toEqual(['b', 'c']);
    expect(after.keys['c']).toEqual({ ...state.keys['a'], name: 'c' });

    const refused = await run(['state', 'mv', 'c', 'b']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the state already records a key named "b"');
    expect(await pulled()).toEqual(after);
    expect(`${moved.stdout}${moved.stderr}${refused.stderr}`).not.toContain(db.password);
  });
});
