/**
 * `--lock-timeout` with the postgres backend: the lock held by another session (a second
 * store on the same state name, as another runner would) is waited for and taken when
 * released, or the command fails with the usual message; without the option it fails at
 * once. Against a real PostgreSQL server (test/helpers/postgres-db.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Secret } from '../model/secret.js';
import { PostgresStateStore } from '../state/postgres/store.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres-db.js';
import { holdLock } from '../../test/helpers/held-lock.js';
import { tempDir } from '../../test/helpers/cli.js';
import { runMain } from '../../test/helpers/main-io.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 180_000);
afterAll(() => db?.close());

let count = 0;

/** A config on a postgres state of its own, and another run's store on the same state. */
function project() {
  const name = `wait${++count}`;
  const file = path.join(tempDir('keyplan-pg-lock-'), 'keys.yaml');
  writeFileSync(file, `version: 1\nstate: { backend: postgres, url_env: KEYPLAN_PG_URL, name: ${name} }\nproviders: {}\nkeys: []\n`);
  const other = new PostgresStateStore({ name, target: { urlEnv: 'KEYPLAN_PG_URL', url: new Secret(db.url) } });
  onTestFinished(() => other.close());
  return { file, other, env: { KEYPLAN_PG_URL: db.url } };
}

describe('--lock-timeout (postgres)', () => {
  it('waits for a lock another session releases after 300 ms and proceeds, naming the holder once', async () => {
    const { file, other, env } = project();
    const lock = await holdLock(other);
    const run = await runMain(['plan', '-f', file, '--lock-timeout', '5s'], { env, onOutput: lock.onOutput });
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - lock.waitStarted).toBeGreaterThanOrEqual(290);
    const held = lock.held;
    expect(run.stderr.split('\n').filter((line) => line.startsWith('Waiting'))).toEqual([
      `Waiting for the state lock held by ${held.who}@${held.host} (pid ${held.pid}, operation apply, since ${held.created}), for up to 5s...`,
    ]);
    expect(run.stdout).toContain('No changes.');
  });

  it('fails with the lock message after about 200 ms when the lock is still held', async () => {
    const { file, other, env } = project();
    const lock = await holdLock(other);
    const started = Date.now();
    const run = await runMain(['plan', '-f', file, '--lock-timeout', '200ms'], { env, onOutput: lock.onOutput });
    const waited = Date.now() - lock.waitStarted;
    expect(run.code).toBe(1);
    expect(lock.waitStarted).toBeGreaterThan(0);
    // The 200 ms count from the first attempt, a little before the message (a connection, on postgres).
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(300);
    expect(run.stderr).toContain(`Error: state is locked by ${lock.held.who}@${lock.held.host} (pid ${lock.held.pid}, operation apply`);
    expect(run.stderr).toContain(`lock ID: ${lock.held.id}.`);
    expect(`${run.stdout}${run.stderr}`).not.toContain(db.password);
  });

  it('fails at once without --lock-timeout', async () => {
    const { file, other, env } = project();
    const { held } = await holdLock(other);
    const run = await runMain(['apply', '-f', file, '--auto-approve'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('Waiting');
    expect(run.stderr).toContain(`Error: state is locked by ${held.who}@${held.host}`);
  });
});
