import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { KeyplanError, StateLockError } from '../errors/errors.js';
import type { KeyplanState } from '../model/state.js';
import { LocalStateStore } from './local-store.js';
import type { LockInfo } from './store.js';
import { setCurrent } from './mutations.js';
import { thrown } from '../../test/helpers/errors.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keyplan-state-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function storeIn(): Promise<LocalStateStore> {
  return new LocalStateStore(join(await tempDir(), '.keyplan', 'state.json'));
}

function withKey(state: KeyplanState, name: string, id = `fp-${name}`): KeyplanState {
  return setCurrent(
    state,
    { name, kind: 'oci.api_key', provider: 'oci', owner: 'ocid1.user.oc1..a' },
    { id, createdAt: '2025-01-02T03:04:05.000Z', attributes: { user: 'ocid1.user.oc1..a', bits: 2048 } },
  );
}

describe('LocalStateStore read/write', () => {
  it('gives a fresh empty state for a missing file and does not write it', async () => {
    const store = await storeIn();
    const state = await store.read();
    expect(state).toMatchObject({ version: 1, serial: 0, keys: {}, intents: [] });
    expect(state.lineage).toMatch(/^[0-9a-f-]{36}$/);
    await expect(stat(store.path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('round-trips state and bumps the serial on each write', async () => {
    const store = await storeIn();
    const first = await store.write(withKey(await store.read(), 'ci'));
    expect(first.serial).toBe(1);
    const second = await store.write(withKey(first, 'etl'));
    expect(second.serial).toBe(2);
    const back = await store.read();
    expect(back).toEqual(second);
    expect(back.lineage).toBe(first.lineage);
  });

  it('writes sorted keys, 2-space JSON with a trailing newline, mode 0600 in a 0700 folder', async () => {
    const store = await storeIn();
    const state = withKey(withKey(withKey(await store.read(), 'zeta'), 'alpha'), 'mid');
    await store.write(state);
    const text = await readFile(store.path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "version": 1,\n');
    expect(Object.keys((JSON.parse(text) as KeyplanState).keys)).toEqual(['alpha', 'mid', 'zeta']);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(store.path, '..'))).mode & 0o777).toBe(0o700);
  });

  it('counts its writes and the bytes they put on disk', async () => {
    const store = await storeIn();
    const first = await store.write(withKey(await store.read(), 'a'));
    const firstSize = (await stat(store.path)).size;
    await store.write(withKey(first, 'b'));
    const secondSize = (await stat(store.path)).size;
    expect(store.writeStats).toEqual({ writes: 2, appends: 0, appendBytes: 0, bytes: firstSize + secondSize });
    await expect(store.write({ ...first, lineage: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/lineage/);
    expect(store.writeStats.writes).toBe(2);
  });

  it('leaves no temp files behind', async () => {
    const store = await storeIn();
    let state = await store.read();
    for (let i = 0; i < 5; i++) state = await store.write(withKey(state, `k${i}`));
    expect(await readdir(join(store.path, '..'))).toEqual(['state.json']);
  });

  it('refuses to write a state of another lineage', async () => {
    const store = await storeIn();
    const written = await store.write(await store.read());
    const foreign = { ...written, lineage: '00000000-0000-4000-8000-000000000000' };
    const error = await thrown(store.write(foreign));
    expect(error).toBeInstanceOf(KeyplanError);
    expect((error as KeyplanError).code).toBe('KP_STATE_E0004');
    expect(error.message).toContain(written.lineage);
    expect(error.message).toContain(store.path);
    expect((await store.read()).serial).toBe(1);
  });

  it('refuses a write based on an outdated read', async () => {
    const store = await storeIn();
    const stale = await store.write(await store.read());
    await store.write(stale);
    const error = await thrown(store.write(stale));
    expect((error as KeyplanError).code).toBe('KP_STATE_E0005');
  });

  it('names the file when the state is not JSON', async () => {
    const store = await storeIn();
    await mkdir(join(store.path, '..'), { recursive: true });
    await writeFile(store.path, '{"version": 1, "lineage": ');
    const error = await thrown(store.read());
    expect((error as KeyplanError).code).toBe('KP_STATE_E0002');
    expect(error.message).toContain(`state file ${store.path} is not valid JSON`);
  });

  it('names the file and the offending paths when the shape is wrong', async () => {
    const store = await storeIn();
    await mkdir(join(store.path, '..'), { recursive: true });
    await writeFile(store.path, JSON.stringify({ version: 1, lineage: 'l', serial: 'x', keys: {}, intents: {} }));
    const error = await thrown(store.read());
    expect((error as KeyplanError).code).toBe('KP_STATE_E0003');
    expect(error.message).toContain(`state file ${store.path} is not a valid keyplan state`);
    expect(error.message).toContain('serial: must be integer');
    expect(error.message).toContain('intents: must be array');
  });

  it('explains a state written by another format version', async () => {
    const store = await storeIn();
    await mkdir(join(store.path, '..'), { recursive: true });
    await writeFile(store.path, JSON.stringify({ version: 2 }));
    expect((await thrown(store.read())).message).toContain('has format version 2, but this keyplan reads version 1');
  });

  it('rejects a relative path', () => {
    expect(() => new LocalStateStore('state.json')).toThrow('Expected `path` to be absolute');
  });
});

describe('LocalStateStore lock', () => {
  it('writes the lock beside the state with owner, pid, host and time', async () => {
    const store = await storeIn();
    const info = await store.lock('apply');
    expect(info).toMatchObject({ operation: 'apply', pid: process.pid, host: hostname() });
    expect(new Date(info.created).toISOString()).toBe(info.created);
    expect(JSON.parse(await readFile(`${store.path}.lock`, 'utf8'))).toEqual(info);
    expect((await stat(store.lockPath)).mode & 0o777).toBe(0o600);
  });

  it('gives a second run the exact "locked by" message with the lock id', async () => {
    const store = await storeIn();
    const held = await store.lock('apply');
    const error = await thrown(new LocalStateStore(store.path).lock('plan'));
    expect(error).toBeInstanceOf(StateLockError);
    expect((error as StateLockError).lockId).toBe(held.id);
    expect(error.message).toBe(
      `state is locked by ${held.who}@${held.host} (pid ${process.pid}, operation apply, since ${held.created}); ` +
        `lock ID: ${held.id}. If no keyplan run holds it, run: keyplan force-unlock ${held.id}`,
    );
  });

  it('unlocks so that the next run can lock', async () => {
    const store = await storeIn();
    const held = await store.lock('plan');
    await store.unlock(held.id);
    await expect(stat(store.lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.unlock((await store.lock('apply')).id);
  });

  it('force-unlock with a wrong id fails and keeps the lock; the right id removes it', async () => {
    const store = await storeIn();
    const held = await store.lock('apply');
    const other = new LocalStateStore(store.path);
    const error = await thrown(other.forceUnlock('not-the-id'));
    expect(error.message).toContain(`lock ID not-the-id does not match the current lock (lock ID: ${held.id}`);
    await expect(stat(store.lockPath)).resolves.toBeDefined();
    await other.forceUnlock(held.id);
    await expect(stat(store.lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    // The run whose lock was broken learns about it when it unlocks.
    expect((await thrown(store.unlock(held.id))).message).toContain('no longer held');
  });

  it('force-unlock without a lock fails', async () => {
    const store = await storeIn();
    expect((await thrown(store.forceUnlock('x'))).message).toContain('the state is not locked');
  });

  it('reports a lock whose process is gone as stale but still requires force-unlock', async () => {
    const store = await storeIn();
    await mkdir(join(store.path, '..'), { recursive: true });
    const dead = { id: 'abc', operation: 'apply', who: 'ci', pid: 99_999_999, host: hostname(), created: '2025-01-01T00:00:00.000Z' };
    await writeFile(store.lockPath, JSON.stringify(dead));
    const error = await thrown(store.lock('plan'));
    expect(error.message).toContain('Process 99999999 is no longer running');
    expect(error.message).toContain('keyplan force-unlock abc');
    await store.forceUnlock('abc');
    await store.lock('plan');
  });

  it('reports an unreadable lock file by path', async () => {
    const store = await storeIn();
    await mkdir(join(store.path, '..'), { recursive: true });
    await writeFile(store.lockPath, 'garbage');
    const error = await thrown(store.lock('plan'));
    expect(error).toBeInstanceOf(StateLockError);
    expect(error.message).toContain(`lock file ${store.lockPath} is unreadable`);
  });

  it('waits for a lock another store holds and takes it once released, naming the holder once', async () => {
    const store = await storeIn();
    const held = await store.lock('apply');
    setTimeout(() => void store.unlock(held.id), 300);
    const holders: LockInfo[] = [];
    const started = Date.now();
    const taken = await new LocalStateStore(store.path).lock('plan', { timeoutMs: 5_000, onWait: (h) => holders.push(h) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(holders).toEqual([held]);
    expect(taken.operation).toBe('plan');
    expect(JSON.parse(await readFile(store.lockPath, 'utf8'))).toEqual(taken);
  });

  it('fails with the usual "locked by" message when the lock is still held at the timeout', async () => {
    const store = await storeIn();
    const held = await store.lock('apply');
    const release = setTimeout(() => void store.unlock(held.id), 300);
    onTestFinished(() => clearTimeout(release));
    const other = new LocalStateStore(store.path);
    const immediate = await thrown(other.lock('plan'));
    const started = Date.now();
    const error = await thrown(other.lock('plan', { timeoutMs: 200 }));
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(195);
    expect(waited).toBeLessThan(300);
    expect(error).toBeInstanceOf(StateLockError);
    expect(error.message).toBe(immediate.message);
    expect(JSON.parse(await readFile(store.lockPath, 'utf8'))).toEqual(held);
  });

  it('fails at once without a timeout, and does not call onWait', async () => {
    const store = await storeIn();
    await store.lock('apply');
    let told = 0;
    const started = Date.now();
    const error = await thrown(new LocalStateStore(store.path).lock('plan', { onWait: () => told++ }));
    expect(error).toBeInstanceOf(StateLockError);
    expect(Date.now() - started).toBeLessThan(150);
    expect(told).toBe(0);
  });

  it('does not wait for a lock file no keyplan run wrote', async () => {
    const store = await storeIn();
    await mkdir(join(store.path, '..'), { recursive: true });
    await writeFile(store.lockPath, 'garbage');
    const started = Date.now();
    const error = await thrown(store.lock('plan', { timeoutMs: 5_000 }));
    expect(error.message).toContain(`lock file ${store.lockPath} is unreadable`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets exactly one of many concurrent runs take the lock', async () => {
    const store = await storeIn();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => new LocalStateStore(store.path).lock('apply')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
