/**
 * `--lock-timeout`: a command that finds the state locked by another run waits for it,
 * says once who holds it, and proceeds when the lock is released in time, or fails with
 * the usual "state is locked by" message when it is not. The other run is a second store
 * instance on the same state file, held by the test.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStateStore } from '../state/local-store.js';
import { tempDir } from '../../test/helpers/cli.js';
import { runMain } from '../../test/helpers/main-io.js';
import { holdLock } from '../../test/helpers/held-lock.js';

const EMPTY_STATE = JSON.stringify({ version: 1, lineage: '9d3c1c52-3f8e-4d0a-9a57-2f0c9b1e6a11', serial: 1, keys: {}, intents: [] });

/** A config with no keys (nothing to refresh, so no network), and its state store. */
function project() {
  const dir = tempDir('keyplan-lock-timeout-');
  const file = path.join(dir, 'keys.yaml');
  writeFileSync(file, 'version: 1\nproviders: {}\nkeys: []\n');
  return { file, store: new LocalStateStore(path.join(dir, '.keyplan', 'state.json')) };
}

describe('--lock-timeout', () => {
  it('waits for a lock released after 300 ms and proceeds, naming the holder once', async () => {
    const { file, store } = project();
    const lock = await holdLock(store);
    const held = lock.held;
    const run = await runMain(['plan', '-f', file, '--lock-timeout', '5s'], { onOutput: lock.onOutput });
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - lock.waitStarted).toBeGreaterThanOrEqual(290);
    expect(run.stdout).toContain('No changes.');
    const waiting = `Waiting for the state lock held by ${held.who}@${held.host} (pid ${held.pid}, operation apply, since ${held.created}), for up to 5s...`;
    expect(run.stderr.split('\n').filter((line) => line.startsWith('Waiting'))).toEqual([waiting]);
  });

  it('fails with the lock message after about 200 ms when the lock is still held', async () => {
    const { file, store } = project();
    const lock = await holdLock(store);
    const held = lock.held;
    const started = Date.now();
    const run = await runMain(['plan', '-f', file, '--lock-timeout', '200ms'], { onOutput: lock.onOutput });
    const waited = Date.now() - lock.waitStarted;
    expect(run.code).toBe(1);
    expect(lock.waitStarted).toBeGreaterThan(0);
    // The 200 ms count from the first attempt, a little before the message (a connection, on postgres).
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(300);
    expect(run.stderr).toContain(
      `Error: state is locked by ${held.who}@${held.host} (pid ${held.pid}, operation apply, since ${held.created}); lock ID: ${held.id}.`,
    );
  });

  it('fails at once without --lock-timeout', async () => {
    const { file, store } = project();
    const { held } = await holdLock(store);
    const run = await runMain(['plan', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('Waiting');
    expect(run.stderr).toContain(`Error: state is locked by ${held.who}@${held.host}`);
  });

  it('reports the wait as a warning diagnostic in the apply --json stream', async () => {
    const { file, store } = project();
    const lock = await holdLock(store);
    const held = lock.held;
    const run = await runMain(['apply', '-f', file, '--auto-approve', '--json', '--lock-timeout', '1m'], { onOutput: lock.onOutput });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const waits = lines.filter((line) => (line['diagnostic'] as { code?: string } | undefined)?.code === 'state_lock_wait');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ type: 'diagnostic', '@level': 'warn' });
    expect(waits[0]?.['@message']).toContain(`Waiting for the state lock held by ${held.who}@${held.host}`);
    expect(waits[0]?.['@message']).toContain('for up to 1m...');
  });

  it('is taken by import, state rm and state push too', async () => {
    const { file, store } = project();
    await holdLock(store);
    for (const argv of [
      ['import', 'ci', 'some-id'],
      ['state', 'rm', 'ci'],
      ['state', 'push', '-'],
    ]) {
      const run = await runMain([...argv, '-f', file, '--lock-timeout', '100ms'], { stdin: EMPTY_STATE });
      expect(run.stderr, argv.join(' ')).toContain('Waiting for the state lock held by');
      expect(run.stderr, argv.join(' ')).toContain('Error: state is locked by');
    }
  });

  it('refuses a value that is not a duration', async () => {
    const { file } = project();
    const run = await runMain(['apply', '-f', file, '--lock-timeout', '5']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--lock-timeout must be a duration such as 30s, 5m or 500ms, got "5"');
  });
});
