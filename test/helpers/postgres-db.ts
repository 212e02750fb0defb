/**
 * A fresh database on the run's one test server (postgres-global-setup.ts) for a test
 * file, and admin helpers the tests use to look behind the store's back (count rows,
 * terminate a session). Everything else talks to the database only through keyplan.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inject } from 'vitest';
import type { PostgresStatus } from './postgres-global-setup.js';
import type { PostgresServerInfo } from './postgres-server.js';

/** A database of its own for one test file. */
export interface TestDatabase {
  /** `postgres://USER:PASSWORD@127.0.0.1:PORT/DB`: what a user puts in KEYPLAN_PG_URL. */
  readonly url: string;
  /** The password inside `url`; it must never appear in keyplan's messages. */
  readonly password: string;
  readonly name: string;
  /** Runs one query as the superuser on this database. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Closes the admin connection. */
  close(): Promise<void>;
}

async function serverInfo(): Promise<PostgresServerInfo> {
  const file = inject('postgresStatusFile');
  // initdb and start take a few seconds on a loaded machine; the setup writes the file when done.
  for (let waited = 0; waited < 120_000; waited += 100) {
    if (existsSync(file)) {
      const status = JSON.parse(readFileSync(file, 'utf8')) as PostgresStatus;
      if (!status.ok) throw new Error(status.error);
      return status.server;
    }
    await sleep(100);
  }
  throw new Error('the test PostgreSQL server did not start within 120 s');
}

function urlOf(server: PostgresServerInfo, database: string): string {
  return `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${database}`;
}

/** Creates an empty database (named `kp_<random>`) and connects to it as the superuser. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = await serverInfo();
  const name = `kp_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: urlOf(server, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: urlOf(server, name) });
  await client.connect();
  // The tests terminate sessions on purpose; the admin one must not crash the file on an error event.
  client.on('error', () => undefined);
  return {
    url: urlOf(server, name),
    password: server.password,
    name,
    query: (text, values) => client.query(text, values),
    close: () => client.end(),
  };
}
