/**
 * The postgres backend's tables, created on first use in schema `keyplan` and versioned
 * by one row in `keyplan.schema_version`. Each migration is idempotent (IF NOT EXISTS)
 * and they all run in one transaction under a transaction-level advisory lock, so two
 * runners starting against an empty database at the same moment do not race (a bare
 * CREATE ... IF NOT EXISTS can still fail on a concurrent create).
 *
 * Tables (one database holds the states of several configs, by `state` name):
 * - `states(name, lineage, serial, version, last_write)`: one row per state; `last_write`
 *   is the id of the last write, so a write whose COMMIT answer was lost can tell whether
 *   it landed.
 * - `keys(state, name, document)`: one row per managed key, the record as JSON.
 * - `intents(state, id, ordinal, document)`: the journal, in `ordinal` order.
 * - `locks(state, id, who, host, pid, operation, since, backend_pid)`: who holds the lock,
 *   for the "state is locked by ..." message; the advisory lock is what actually locks.
 */
import type pg from 'pg';
import { KeyplanError } from '../../errors/errors.js';
import { STATE_CODES } from '../codes.js';

/** The advisory lock class of keyplan's state locks (`kpln`); the second key is the state name's hash. */
export const STATE_LOCK_CLASS = 0x6b706c6e;
/** The advisory lock class guarding migrations. */
const MIGRATION_LOCK_CLASS = STATE_LOCK_CLASS + 1;

/** Migration n brings the schema from version n to n + 1. Never edit a released one: add another. */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE IF NOT EXISTS keyplan.states (
       name text PRIMARY KEY,
       lineage text NOT NULL,
       serial bigint NOT NULL,
       version integer NOT NULL,
       last_write text,
       updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE IF NOT EXISTS keyplan.keys (
       state text NOT NULL REFERENCES keyplan.states (name) ON DELETE CASCADE,
       name text NOT NULL,
       document json NOT NULL,
       PRIMARY KEY (state, name))`,
    `CREATE TABLE IF NOT EXISTS keyplan.intents (
       state text NOT NULL REFERENCES keyplan.states (name) ON DELETE CASCADE,
       id text NOT NULL,
       ordinal bigint NOT NULL,
       document json NOT NULL,
       PRIMARY KEY (state, id))`,
    `CREATE TABLE IF NOT EXISTS keyplan.locks (
       state text PRIMARY KEY,
       id text NOT NULL,
       who text NOT NULL,
       host text NOT NULL,
       pid integer NOT NULL,
       operation text NOT NULL,
       since text NOT NULL,
       backend_pid integer NOT NULL)`,
  ],
];

/** The schema version this keyplan writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates or upgrades the tables; a no-op (one short transaction) when they are current.
 * Throws a KeyplanError when the database was upgraded by a newer keyplan. pg errors are
 * rethrown as they are, for the caller to wrap with its context.
 */
export async function ensureSchema(client: pg.ClientBase, description: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [MIGRATION_LOCK_CLASS]);
    await client.query('CREATE SCHEMA IF NOT EXISTS keyplan');
    await client.query('CREATE TABLE IF NOT EXISTS keyplan.schema_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), version integer NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM keyplan.schema_version');
    const current = found.rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new KeyplanError(
        `${description}: the database's keyplan tables are at schema version ${current}, newer than this keyplan knows (${SCHEMA_VERSION}); use the keyplan release that upgraded them`,
        { code: STATE_CODES.databaseFailed, source: 'user' },
      );
    }
    for (const migration of MIGRATIONS.slice(current)) {
      for (const statement of migration) await client.query(statement);
    }
    if (current < SCHEMA_VERSION) {
      await client.query('INSERT INTO keyplan.schema_version (one, version) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version', [
        SCHEMA_VERSION,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
