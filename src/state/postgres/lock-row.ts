/**
 * The postgres state lock: a session-level advisory lock on (STATE_LOCK_CLASS, hash of
 * the state name) is the lock itself, so it ends with its session; the row in
 * `keyplan.locks` only says who holds it. Whoever gets the advisory lock owns the row: a
 * row found then is stale (its session is gone, or it released the lock without deleting
 * the row) and is replaced. These functions run on the store's connection and let pg
 * errors through for the store to wrap.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { describeHolder, newLockInfo } from '../lock-holder.js';
import type { LockInfo } from '../store.js';
import { STATE_LOCK_CLASS } from './schema.js';

/** The advisory lock's two int4 keys for state `name`. */
export function lockKey(name: string): readonly [number, number] {
  return [STATE_LOCK_CLASS, createHash('sha256').update(name).digest().readInt32BE(0)];
}

/** What trying the lock found. */
export type LockAttempt =
  | { readonly kind: 'taken'; readonly info: LockInfo; readonly replaced?: LockInfo }
  /** Another session holds it; `holder` is undefined when its row is not written yet. */
  | { readonly kind: 'held'; readonly holder?: LockInfo };

interface LockRow {
  id: string;
  who: string;
  host: string;
  pid: number;
  operation: string;
  since: string;
  backend_pid: number;
}

/** Reads the lock row of state `name`. */
export async function readLockRow(client: pg.ClientBase, name: string): Promise<(LockInfo & { readonly backendPid: number }) | undefined> {
  const result = await client.query<LockRow>('SELECT id, who, host, pid, operation, since, backend_pid FROM keyplan.locks WHERE state = $1', [name]);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return { id: row.id, operation: row.operation, who: row.who, pid: row.pid, host: row.host, created: row.since, backendPid: row.backend_pid };
}

/**
 * The lock row, if it belongs to the session holding the advisory lock now. A row of a
 * dead session (the new holder is about to replace it) or no row yet gives undefined.
 */
async function currentHolder(client: pg.ClientBase, name: string, key: readonly [number, number]): Promise<LockInfo | undefined> {
  const row = await readLockRow(client, name);
  if (row === undefined) return undefined;
  const holders = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
       AND classid = ($1::bigint & 4294967295)::oid AND objid = ($2::bigint & 4294967295)::oid`,
    [...key],
  );
  if (!holders.rows.some((h) => h.pid === row.backendPid)) return undefined;
  const { backendPid: _backendPid, ...info } = row;
  return info;
}

async function tryAdvisory(client: pg.ClientBase, key: readonly [number, number]): Promise<boolean> {
  const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...key]);
  return result.rows[0]?.ok === true;
}

/** Takes the lock for `operation` if no live session holds it, writing (or replacing) the lock row. */
export async function acquireLockRow(client: pg.ClientBase, name: string, key: readonly [number, number], operation: string): Promise<LockAttempt> {
  if (!(await tryAdvisory(client, key))) return { kind: 'held', holder: await currentHolder(client, name, key) };
  const info = newLockInfo(operation);
  try {
    const stale = await readLockRow(client, name);
    await client.query(
      `INSERT INTO keyplan.locks (state, id, who, host, pid, operation, since, backend_pid)
       VALUES ($1, $2, $3, $4, $5, $6, $7, pg_backend_pid())
       ON CONFLICT (state) DO UPDATE SET id = EXCLUDED.id, who = EXCLUDED.who, host = EXCLUDED.host, pid = EXCLUDED.pid,
         operation = EXCLUDED.operation, since = EXCLUDED.since, backend_pid = EXCLUDED.backend_pid`,
      [name, info.id, info.who, info.host, info.pid, info.operation, info.created],
    );
    return { kind: 'taken', info, ...(stale !== undefined ? { replaced: stale } : {}) };
  } catch (error) {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...key]).catch(() => undefined);
    throw error;
  }
}

/** Deletes the lock row `lockId`, then releases the advisory lock when `key` is given (the session still holds it). */
export async function releaseLockRow(client: pg.ClientBase, name: string, lockId: string, key: readonly [number, number] | undefined): Promise<void> {
  await client.query('DELETE FROM keyplan.locks WHERE state = $1 AND id = $2', [name, lockId]);
  if (key !== undefined) await client.query('SELECT pg_advisory_unlock($1, $2)', [...key]);
}

/**
 * Removes lock row `lockId` if its session is gone. Returns why it cannot, or undefined
 * when it was removed. A live session's lock is never broken: it ends with its run.
 */
export async function forceUnlockRow(client: pg.ClientBase, name: string, key: readonly [number, number], lockId: string): Promise<string | undefined> {
  const row = await readLockRow(client, name);
  if (row === undefined) return 'the state is not locked (no lock row)';
  if (row.id !== lockId) return `lock ID ${lockId} does not match the current lock (lock ID: ${row.id}, held by ${describeHolder(row)})`;
  if (!(await tryAdvisory(client, key))) {
    return (
      `lock ${lockId} is held by a live database session (backend pid ${row.backendPid}) of a running keyplan, held by ${describeHolder(row)}; ` +
      `it is released when that run ends. To end a run that hangs, a database administrator can run: SELECT pg_terminate_backend(${row.backendPid})`
    );
  }
  try {
    await client.query('DELETE FROM keyplan.locks WHERE state = $1 AND id = $2', [name, lockId]);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...key]);
  }
  return undefined;
}

/**
 * After the connection holding lock `held` was lost: takes the advisory lock again on the
 * new connection if the row still names `held` (no other run took the state meanwhile).
 * Returns why not, or undefined when the lock is held again.
 */
export async function retakeLock(client: pg.ClientBase, name: string, key: readonly [number, number], held: LockInfo): Promise<string | undefined> {
  if (!(await tryAdvisory(client, key))) {
    const holder = await currentHolder(client, name, key);
    return holder === undefined ? 'another run holds it now' : `another run holds it now (${describeHolder(holder)})`;
  }
  const updated = await client.query('UPDATE keyplan.locks SET backend_pid = pg_backend_pid() WHERE state = $1 AND id = $2', [name, held.id]);
  if (updated.rowCount === 1) return undefined;
  await client.query('SELECT pg_advisory_unlock($1, $2)', [...key]);
  const holder = await readLockRow(client, name);
  return holder === undefined ? 'another run took and released it meanwhile' : `another run took it meanwhile (${describeHolder(holder)})`;
}
