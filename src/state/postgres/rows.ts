/**
 * The state as rows: reading one state back into a KeyplanState (validated like a local
 * state file), and writing a write's row changes. Each kind of change is one statement
 * over arrays (`unnest`), so a write is a fixed number of statements whatever it touches.
 */
import type pg from 'pg';
import { KeyplanError } from '../../errors/errors.js';
import { STATE_FORMAT_VERSION, type Intent, type KeyplanState, type ManagedKey } from '../../model/state.js';
import { STATE_CODES } from '../codes.js';
import { checkStateRules, stateRulesError, type StateRuleOptions } from '../state-rules.js';
import { checkStateShape } from '../state-schema.js';
import type { RowChanges } from './diff.js';

/** A stored state and its intents' ordinals. */
export interface StoredState {
  readonly state: KeyplanState;
  readonly ordinals: ReadonlyMap<string, number>;
}

/** The `states` row's fields a write checks. */
export interface StateHead {
  readonly lineage: string;
  readonly serial: number;
  readonly lastWrite: string | null;
}

/** The head of state `name`, or undefined when it was never written. `forUpdate` row-locks it for the transaction. */
export async function readHead(client: pg.ClientBase, name: string, forUpdate: boolean): Promise<StateHead | undefined> {
  const result = await client.query<{ lineage: string; serial: string; last_write: string | null }>(
    `SELECT lineage, serial, last_write FROM keyplan.states WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [name],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : { lineage: row.lineage, serial: Number(row.serial), lastWrite: row.last_write };
}

/**
 * Reads state `name` in one snapshot (REPEATABLE READ), or undefined when it was never
 * written. Throws KeyplanError when the rows are not a valid keyplan state (hand edits, a
 * newer keyplan), like a local state file that does not parse.
 */
export async function readStoredState(client: pg.ClientBase, name: string, description: string, rules: StateRuleOptions): Promise<StoredState | undefined> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const head = await client.query<{ lineage: string; serial: string; version: number }>(
      'SELECT lineage, serial, version FROM keyplan.states WHERE name = $1',
      [name],
    );
    const row = head.rows[0];
    if (row === undefined) return undefined;
    const keys = await client.query<{ name: string; document: unknown }>('SELECT name, document FROM keyplan.keys WHERE state = $1 ORDER BY name COLLATE "C"', [
      name,
    ]);
    const intents = await client.query<{ id: string; ordinal: string; document: unknown }>(
      'SELECT id, ordinal, document FROM keyplan.intents WHERE state = $1 ORDER BY ordinal, id',
      [name],
    );
    if (row.version !== STATE_FORMAT_VERSION) {
      throw new KeyplanError(
        `${description} has format version ${row.version}, but this keyplan reads version ${STATE_FORMAT_VERSION}; use the keyplan release that wrote it`,
        { code: STATE_CODES.invalid, source: 'user' },
      );
    }
    const doc = {
      version: row.version,
      lineage: row.lineage,
      serial: Number(row.serial),
      keys: Object.fromEntries(keys.rows.map((k) => [k.name, k.document])),
      intents: intents.rows.map((i) => i.document),
    };
    const problems = checkStateShape(doc);
    if (problems.length > 0) {
      throw new KeyplanError(`${description} is not a valid keyplan state:\n  ${problems.join('\n  ')}`, { code: STATE_CODES.invalid, source: 'user' });
    }
    const state = doc as KeyplanState;
    const broken = checkStateRules(state, rules);
    if (broken.length > 0) throw stateRulesError(description, broken);
    return { state, ordinals: new Map(intents.rows.map((i) => [i.id, Number(i.ordinal)])) };
  } finally {
    await client.query('COMMIT').catch(() => undefined);
  }
}

/** Writes `changes` for state `name` (inside the caller's transaction). */
export async function writeRows(client: pg.ClientBase, name: string, changes: RowChanges): Promise<void> {
  if (changes.deleteKeys.length > 0) {
    await client.query('DELETE FROM keyplan.keys WHERE state = $1 AND name = ANY($2::text[])', [name, changes.deleteKeys]);
  }
  if (changes.upsertKeys.length > 0) {
    await client.query(
      `INSERT INTO keyplan.keys (state, name, document)
       SELECT $1, k.name, k.document FROM unnest($2::text[], $3::json[]) AS k(name, document)
       ON CONFLICT (state, name) DO UPDATE SET document = EXCLUDED.document`,
      [name, changes.upsertKeys.map((r: ManagedKey) => r.name), changes.upsertKeys.map((r) => JSON.stringify(r))],
    );
  }
  if (changes.deleteIntents.length > 0) {
    await client.query('DELETE FROM keyplan.intents WHERE state = $1 AND id = ANY($2::text[])', [name, changes.deleteIntents]);
  }
  if (changes.upsertIntents.length > 0) {
    const rows = changes.upsertIntents;
    await client.query(
      `INSERT INTO keyplan.intents (state, id, ordinal, document)
       SELECT $1, i.id, i.ordinal, i.document FROM unnest($2::text[], $3::bigint[], $4::json[]) AS i(id, ordinal, document)
       ON CONFLICT (state, id) DO UPDATE SET ordinal = EXCLUDED.ordinal, document = EXCLUDED.document`,
      [name, rows.map((r) => r.intent.id), rows.map((r) => r.ordinal), rows.map((r: { intent: Intent }) => JSON.stringify(r.intent))],
    );
  }
}

/** Removes every row of state `name` (for a write that replaces the whole state). */
export async function clearRows(client: pg.ClientBase, name: string): Promise<void> {
  await client.query('DELETE FROM keyplan.keys WHERE state = $1', [name]);
  await client.query('DELETE FROM keyplan.intents WHERE state = $1', [name]);
}
