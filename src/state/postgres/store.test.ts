import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres-db.js';
import { Secret } from '../../model/secret.js';
import type { KeyplanState, ManagedKey } from '../../model/state.js';
import { createIntent, recordIntent } from '../journal.js';
import { forget, setCurrent } from '../mutations.js';
import { newState, serializeState } from '../state-document.js';
import { PostgresStateStore } from './store.js';
import { ensureSchema, SCHEMA_VERSION } from './schema.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // The run's one server may still be starting (postgres-global-setup.ts).
}, 120_000);
afterAll(async () => {
  await db?.close();
});

let stateCount = 0;
/** A store on a state name of its own, closed after the test. */
function storeOf(name = `s${++stateCount}`, rules = {}): PostgresStateStore {
  const store = new PostgresStateStore({ name, target: { urlEnv: 'KEYPLAN_PG_URL', url: new Secret(db.url) }, rules });
  onTestFinished(() => store.close());
  return store;
}

function key(name: string, id = `id-${name}`): ManagedKey {
  return {
    name,
    kind: 'fake.token',
    provider: 'p',
    owner: 'ci',
    current: { id, createdAt: '2025-06-01T12:00:00Z', attributes: { label: name } },
    retiring: [],
  };
}

function withKeys(state: KeyplanState, count: number, from = 0): KeyplanState {
  let s = state;
  for (let i = from; i < from + count; i++) s = setCurrent(s, key(`k${String(i).padStart(4, '0')}`), key(`k${String(i).padStart(4, '0')}`).current);
  return s;
}

describe('PostgresStateStore read and write', () => {
  it('reads a never-written state as empty, and round-trips records and intents in order', async () => {
    const store = storeOf();
    const empty = await store.read();
    expect(empty).toMatchObject({ serial: 0, keys: {}, intents: [] });
    const lock = await store.lock('apply');
    let state = withKeys(empty, 3);
    const intentA = createIntent(key('a'), 'intent-b', '2025-06-01T12:00:00Z', 'live-1');
    const intentB = createIntent(key('b'), 'intent-a', '2025-06-01T12:00:01Z', undefined, { attribute: 'label', value: 'x' });
    state = recordIntent(recordIntent(state, intentA), intentB);
    const written = await store.write(state);
    expect(written.serial).toBe(1);
    await store.unlock(lock.id);

    const again = await storeOf(store.name).read();
    expect(serializeState(again)).toBe(serializeState(written));
    expect(again.intents.map((i) => i.id)).toEqual(['intent-b', 'intent-a']);
  });

  it('refuses a write based on an older serial, and one of another lineage', async () => {
    const first = storeOf();
    const second = storeOf(first.name);
    const base = await first.read();
    await second.read();
    await first.write(withKeys(base, 1));
    await expect(second.write(withKeys(base, 2))).rejects.toMatchObject({ code: 'KP_STATE_E0005' });
    const other = { ...newState(), serial: 5 };
    await expect(first.write(other)).rejects.toMatchObject({ code: 'KP_STATE_E0004' });
  });

  it('writes a whole state given from elsewhere (another base) correctly', async () => {
    const store = storeOf();
    const written = await store.write(withKeys(await store.read(), 4));
    // A fresh store never read this state: it must replace the rows, not diff against nothing.
    const fresh = storeOf(store.name);
    const replaced = await fresh.write(forget(withKeys({ ...written, keys: {} }, 2, 10), 'k0010'));
    expect(Object.keys((await storeOf(store.name).read()).keys)).toEqual(['k0011']);
    expect(replaced.serial).toBe(2);
  });

  it('refuses to write a record naming a live key another record holds, like the local backend', async () => {
    const store = storeOf();
    const written = await store.write(withKeys(await store.read(), 3));
    const clash = setCurrent(written, key('k0002'), key('k0000').current);
    await expect(store.write(clash)).rejects.toThrow(/already holds|both name live key/);
  });

  it('creates its tables on first use, also when several runs start at once, and again changes nothing', async () => {
    const empty = await createTestDatabase();
    onTestFinished(() => empty.close());
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: empty.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      await Promise.all(clients.map((c) => ensureSchema(c, 'test')));
      await ensureSchema(clients[0] as pg.Client, 'test');
      const version = await empty.query<{ version: number }>('SELECT version FROM keyplan.schema_version');
      expect(version.rows).toEqual([{ version: SCHEMA_VERSION }]);
      const tables = await empty.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'keyplan' ORDER BY table_name",
      );
      expect(tables.rows.map((t) => t.table_name)).toEqual(['intents', 'keys', 'locks', 'schema_version', 'states']);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('refuses tables a newer keyplan upgraded', async () => {
    const newer = await createTestDatabase();
    onTestFinished(() => newer.close());
    const store = new PostgresStateStore({ name: 'x', target: { urlEnv: 'KEYPLAN_PG_URL', url: new Secret(newer.url) } });
    onTestFinished(() => store.close());
    await store.read();
    await newer.query('UPDATE keyplan.schema_version SET version = $1', [SCHEMA_VERSION + 1]);
    const later = new PostgresStateStore({ name: 'x', target: { urlEnv: 'KEYPLAN_PG_URL', url: new Secret(newer.url) } });
    onTestFinished(() => later.close());
    await expect(later.read()).rejects.toThrow(`at schema version ${SCHEMA_VERSION + 1}, newer than this keyplan knows (${SCHEMA_VERSION})`);
  });

  it('rejects rows that are not a valid state on read, naming the state', async () => {
    const store = storeOf();
    await store.write(withKeys(await store.read(), 1));
    await db.query(`UPDATE keyplan.keys SET document = '{"name":"k0000"}' WHERE state = $1`, [store.name]);
    await expect(storeOf(store.name).read()).rejects.toThrow(`postgres state "${store.name}" is not a valid keyplan state`);
  });
});

describe('PostgresStateStore writes only what changed', () => {
  /** Rows written (inserted or updated) by the transaction of the latest write: they share its xmin. */
  async function rowsOfLastWrite(name: string): Promise<number> {
    const result = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT xmin FROM keyplan.keys WHERE state = $1 UNION ALL SELECT xmin FROM keyplan.intents WHERE state = $1
       ) r WHERE r.xmin::text = (SELECT xmin::text FROM keyplan.states WHERE name = $1)`,
      [name],
    );
    return Number(result.rows[0]?.n);
  }

  it('touches the same number of rows per step with 10 keys as with 200', async () => {
    const perStep: Record<number, number[]> = {};
    for (const size of [10, 200]) {
      const store = storeOf();
      let state = await store.write(withKeys(await store.read(), size));
      expect(await rowsOfLastWrite(store.name)).toBe(size);
      const counts: number[] = [];
      for (let step = 0; step < 5; step++) {
        // A create step: journal, then record the key and clear the intent.
        const intent = createIntent(key(`new${step}`), `intent-${step}`, '2025-06-01T12:00:00Z', `live-${step}`);
        state = await store.write(recordIntent(state, intent));
        counts.push(await rowsOfLastWrite(store.name));
        state = await store.write({ ...setCurrent(state, key(`new${step}`), key(`new${step}`).current), intents: [] });
        counts.push(await rowsOfLastWrite(store.name));
      }
      perStep[size] = counts;
    }
    expect(perStep[10]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(perStep[200]).toEqual(perStep[10]);
  });
});

describe('PostgresStateStore step writes', () => {
  it('writes a batch of steps in one transaction of the rows they change, and a later whole write still sees every record', async () => {
    const store = storeOf();
    const lock = await store.lock('apply');
    const base = await store.write(withKeys(await store.read(), 5));
    // Steps as a StateSession hands them over: records it keeps changing in place afterwards.
    const live = { ...base.keys } as Record<string, ManagedKey>;
    live['k0005'] = key('k0005');
    delete live['k0001'];
    const intent = createIntent(key('k0006'), 'intent-6', '2025-06-01T12:00:00Z', 'id-k0006');
    const after = await store.writeSteps(base, [{ keys: { k0005: key('k0005') } }, { keys: { k0001: null }, intents: [intent] }], {
      ...base,
      keys: live,
      intents: [intent],
    });
    expect(after.serial).toBe(base.serial + 2);
    const changed = key('k0004', 'id-k0004-next');
    live['k0004'] = changed;
    const read = await storeOf(store.name).read();
    expect(Object.keys(read.keys).sort()).toEqual(['k0000', 'k0002', 'k0003', 'k0004', 'k0005']);
    expect(read.keys['k0004']?.current.id).toBe('id-k0004');
    expect(read.intents.map((i) => i.id)).toEqual(['intent-6']);
    expect(read.serial).toBe(after.serial);
    // The store's own copy of the records did not follow the caller's later change, so a
    // whole write of that change is seen as one and lands.
    const whole = await store.write(setCurrent(read, changed, changed.current));
    const final = await storeOf(store.name).read();
    expect(final.keys['k0004']?.current.id).toBe('id-k0004-next');
    expect(final.serial).toBe(whole.serial);
    await store.unlock(lock.id);
  });
});
