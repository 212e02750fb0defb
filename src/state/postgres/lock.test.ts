import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres-db.js';
import { StateLockError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import type { LockInfo } from '../store.js';
import { lockKey } from './lock-row.js';
import { PostgresStateStore } from './store.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // The run's one server may still be starting (postgres-global-setup.ts).
}, 120_000);
afterAll(async () => {
  await db?.close();
});

let stateCount = 0;
function storeOf(name: string, url = db.url): PostgresStateStore {
  const store = new PostgresStateStore({ name, target: { urlEnv: 'KEYPLAN_PG_URL', url: new Secret(url), connectTimeoutMs: 3000 }, lockPollMs: 50 });
  onTestFinished(() => store.close());
  return store;
}
const fresh = (): string => `lock${++stateCount}`;

async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Ends the database session holding `name`'s lock, as a runner that dies would. */
async function terminateHolder(name: string): Promise<void> {
  const row = await db.query<{ backend_pid: number }>('SELECT backend_pid FROM keyplan.locks WHERE state = $1', [name]);
  const pid = row.rows[0]?.backend_pid;
  await db.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
}

describe('the postgres state lock', () => {
  it('refuses a second holder with the same message as the local backend', async () => {
    const name = fresh();
    const info = await storeOf(name).lock('apply');
    const error = await thrown(storeOf(name).lock('plan'));
    expect(error).toBeInstanceOf(StateLockError);
    expect((error as StateLockError).lockId).toBe(info.id);
    expect(error.message).toBe(
      `state is locked by ${info.who}@${info.host} (pid ${process.pid}, operation apply, since ${info.created}); lock ID: ${info.id}. ` +
        `The lock is released when that run ends or its database session closes. If no keyplan run holds it, run: keyplan force-unlock ${info.id}`,
    );
  });

  it('is free again after unlock, and other state names never block each other', async () => {
    const name = fresh();
    const first = storeOf(name);
    const other = await storeOf(fresh()).lock('apply');
    const info = await first.lock('apply');
    await first.unlock(info.id);
    const second = storeOf(name);
    await second.unlock((await second.lock('apply')).id);
    expect(other.id).not.toBe(info.id);
    expect((await db.query('SELECT 1 FROM keyplan.locks WHERE state = $1', [name])).rowCount).toBe(0);
  });

  it('passes to the next run when the holding session dies, without force-unlock', async () => {
    const name = fresh();
    const dead = await storeOf(name).lock('apply');
    await terminateHolder(name);
    const next = await storeOf(name).lock('apply');
    expect(next.id).not.toBe(dead.id);
    const row = await db.query<{ id: string }>('SELECT id FROM keyplan.locks WHERE state = $1', [name]);
    expect(row.rows).toEqual([{ id: next.id }]);
  });

  it('waits for the holder with timeoutMs, telling once who holds it', async () => {
    const name = fresh();
    const holder = storeOf(name);
    const held = await holder.lock('apply');
    const waits: LockInfo[] = [];
    const waiting = storeOf(name).lock('plan', { timeoutMs: 10_000, onWait: (h) => waits.push(h) });
    setTimeout(() => void holder.unlock(held.id), 300);
    const taken = await waiting;
    expect(taken.operation).toBe('plan');
    expect(waits.map((w) => w.id)).toEqual([held.id]);
    const stillHeld = await thrown(storeOf(name).lock('apply', { timeoutMs: 200 }));
    expect(stillHeld.message).toContain(`lock ID: ${taken.id}`);
  });

  it('names the session that holds the lock, not a stale row it is about to replace', async () => {
    const name = fresh();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    onTestFinished(() => holder.end());
    await storeOf(name).read();
    await holder.query('SELECT pg_advisory_lock($1, $2)', [...lockKey(name)]);
    await db.query(
      "INSERT INTO keyplan.locks (state, id, who, host, pid, operation, since, backend_pid) VALUES ($1, 'dead-id', 'ci', 'gone', 1, 'apply', '2025-06-01T12:00:00Z', 0)",
      [name],
    );
    const refused = thrown(storeOf(name).lock('plan'));
    // The new holder writes its row a moment after taking the advisory lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.query("UPDATE keyplan.locks SET id = 'live-id', host = 'runner-2', backend_pid = pg_backend_pid() WHERE state = $1", [name]);
    const error = await refused;
    expect(error.message).toContain('lock ID: live-id');
    expect(error.message).toContain('ci@runner-2');
  });

  it('force-unlock removes a lock row whose session is gone, and refuses a live one', async () => {
    const name = fresh();
    const live = await storeOf(name).lock('apply');
    const refused = await thrown(storeOf(name).forceUnlock(live.id));
    expect(refused.message).toMatch(/held by a live database session \(backend pid \d+\)/);
    await terminateHolder(name);
    await storeOf(name).forceUnlock(live.id);
    expect((await db.query('SELECT 1 FROM keyplan.locks WHERE state = $1', [name])).rowCount).toBe(0);
    expect((await thrown(storeOf(name).forceUnlock(live.id))).message).toContain('the state is not locked');
  });
});

describe('the postgres backend and its connection', () => {
  it('names the variable, not the URL or password, when the database is unreachable', async () => {
    const url = new URL(db.url);
    url.port = '1';
    const error = await thrown(storeOf(fresh(), url.toString()).lock('apply'));
    expect(error.message).toContain('cannot connect to the state database named by KEYPLAN_PG_URL');
    expect(error.message).toContain('nothing was changed');
    expect(error.message).not.toContain(db.password);
    // The address the driver tried helps; the URL itself (user, password, database) is never shown.
    expect(error.message).not.toContain('postgres://');
  });

  it('never shows the password of a refused login', async () => {
    const url = new URL(db.url);
    url.password = `${db.password}-wrong`;
    const error = await thrown(storeOf(fresh(), url.toString()).read());
    expect(error.message).toMatch(/password authentication failed/);
    expect(error.message).not.toContain(db.password);
    expect(JSON.stringify(error)).not.toContain(db.password);
    expect(String((error as { cause?: unknown }).cause ?? '')).not.toContain(db.password);
  });

  it('retries a write on a new connection when its session is ended, and says the lock was lost', async () => {
    const name = fresh();
    const store = storeOf(name);
    const info = await store.lock('apply');
    const state = await store.read();
    await terminateHolder(name);
    const written = await store.write({ ...state, keys: {} });
    expect(written.serial).toBe(1);
    await expect.poll(() => store.lockLost.aborted).toBe(true);
    expect(String((store.lockLost.reason as Error).message)).toContain('the connection to the database was lost');
    await store.unlock(info.id);
  });

  it('refuses a write after its lost lock was taken by another run', async () => {
    const name = fresh();
    const store = storeOf(name);
    await store.lock('apply');
    const state = await store.read();
    await terminateHolder(name);
    const other = await storeOf(name).lock('apply');
    const error = await thrown(store.write(state));
    expect(error.message).toContain(`another run holds it now`);
    expect(error.message).toContain('the next run finds what it did through the journal');
    expect((await db.query<{ id: string }>('SELECT id FROM keyplan.locks WHERE state = $1', [name])).rows).toEqual([{ id: other.id }]);
  });
});
