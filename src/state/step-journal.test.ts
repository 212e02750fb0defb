/**
 * The local backend's step journal: readers see the folded view, unlock and the next lock
 * fold it into the state file, a torn last line is ignored but a damaged complete one is
 * not, and steps already folded or of another lineage are told apart.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../model/state.js';
import { tempDir } from '../../test/helpers/cli.js';
import { LocalStateStore } from './local-store.js';
import { setCurrent } from './mutations.js';
import { recordIntent } from './journal.js';
import { stepBetween } from './step-journal.js';

const withKey = (state: KeyplanState, name: string): KeyplanState =>
  setCurrent(
    state,
    { name, kind: 'fake.token', provider: 'fake', owner: 'team' },
    { id: `id-${name}`, createdAt: '2025-01-02T03:04:05.000Z', attributes: { owner_name: 'team' } },
  );

/** A locked store over a state file holding key `a`, with steps adding `b` (and intent `i1`), then `c`, in the journal. */
async function journalled() {
  const file = path.join(tempDir('keyplan-steps-'), 'state.json');
  const store = new LocalStateStore(file);
  const lock = await store.lock('apply');
  const base = await store.write(withKey(await store.read(), 'a'));
  const b = recordIntent(withKey(base, 'b'), {
    id: 'i1',
    operation: 'create',
    name: 'c',
    kind: 'fake.token',
    provider: 'fake',
    owner: 'team',
    startedAt: '2025-01-02T03:04:05.000Z',
  });
  const c = withKey(b, 'c');
  const after = await store.writeSteps(base, [stepBetween(base, b), stepBetween(b, c)], c);
  return { file, store, lock, base, after };
}

const names = (s: KeyplanState): string[] => Object.keys(s.keys).sort();

describe('the step journal of the local backend', () => {
  it('leaves the state file alone while steps are appended, and readers without the lock see them', async () => {
    const { file, store, base, after } = await journalled();
    expect(after.serial).toBe(base.serial + 2);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ serial: base.serial, keys: { a: {} } });
    const read = await new LocalStateStore(file).read();
    expect(names(read)).toEqual(['a', 'b', 'c']);
    expect(read.intents.map((i) => i.id)).toEqual(['i1']);
    expect(read.serial).toBe(after.serial);
    expect(store.writeStats.appends).toBe(2);
  });

  it('folds the journal into the state file on unlock and removes it', async () => {
    const { file, store, lock, after } = await journalled();
    await store.unlock(lock.id);
    expect(existsSync(store.stepsPath)).toBe(false);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as KeyplanState;
    expect(onDisk.serial).toBe(after.serial);
    expect(names(onDisk)).toEqual(['a', 'b', 'c']);
  });

  it('folds the journal of a run that died on the next lock', async () => {
    const { file, store, lock, after } = await journalled();
    // The run dies: its lock is force-unlocked, nothing folded it.
    await store.forceUnlock(lock.id);
    await store.close();
    const next = new LocalStateStore(file);
    const again = await next.lock('plan');
    expect(existsSync(next.stepsPath)).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ serial: after.serial, keys: { a: {}, b: {}, c: {} } });
    await next.unlock(again.id);
  });

  it('ignores a torn last line, never a complete one', async () => {
    const { file, store, lock } = await journalled();
    await store.forceUnlock(lock.id);
    await store.close();
    const steps = await readFile(store.stepsPath, 'utf8');
    await appendFile(store.stepsPath, '{"lineage":"x","serial":9,"keys":{"d"');
    expect(names(await new LocalStateStore(file).read())).toEqual(['a', 'b', 'c']);
    await writeFile(store.stepsPath, `${steps}{"lineage":\n`);
    await expect(new LocalStateStore(file).read()).rejects.toThrow(/step journal is damaged: .*state\.json\.steps:3: not valid JSON/);
    await expect(new LocalStateStore(file).lock('plan')).rejects.toThrow(/step journal is damaged/);
    // The failed fold released the lock again.
    await writeFile(store.stepsPath, steps);
    const next = new LocalStateStore(file);
    await next.unlock((await next.lock('plan')).id);
    expect(names(await next.read())).toEqual(['a', 'b', 'c']);
  });

  it('skips steps the state file already has (a run died between the fold and removing the journal)', async () => {
    const { file, store, lock, after } = await journalled();
    const steps = await readFile(store.stepsPath, 'utf8');
    await store.unlock(lock.id);
    await writeFile(store.stepsPath, steps);
    const read = await new LocalStateStore(file).read();
    expect(read.serial).toBe(after.serial);
    expect(names(read)).toEqual(['a', 'b', 'c']);
  });

  it('refuses steps of another lineage or with a gap in the serials', async () => {
    const { file, store, lock } = await journalled();
    await store.forceUnlock(lock.id);
    await store.close();
    const steps = await readFile(store.stepsPath, 'utf8');
    const [first] = steps.split('\n');
    const line = JSON.parse(first as string) as { lineage: string; serial: number };
    await writeFile(store.stepsPath, `${JSON.stringify({ ...line, lineage: '00000000-0000-4000-8000-000000000000' })}\n`);
    await expect(new LocalStateStore(file).read()).rejects.toThrow(/:1: step of lineage 00000000-0000-4000-8000-000000000000 beside a state of lineage/);
    await writeFile(store.stepsPath, `${JSON.stringify({ ...line, serial: line.serial + 1 })}\n`);
    await expect(new LocalStateStore(file).read()).rejects.toThrow(/:1: step serial \d+ does not follow serial \d+/);
  });

  it('refuses steps over a base another write replaced', async () => {
    const { store, base, after } = await journalled();
    const z = withKey(base, 'z');
    await expect(store.writeSteps(base, [stepBetween(base, z)], z)).rejects.toThrow(/newer than the serial/);
    const other = { ...after, lineage: '00000000-0000-4000-8000-000000000000' };
    await expect(store.writeSteps(other, [stepBetween(other, z)], z)).rejects.toThrow(/they are different states/);
  });

  it('folds before a whole write, so the write keeps the steps', async () => {
    const { file, store, after } = await journalled();
    const written = await store.write(withKey(after, 'd'));
    expect(existsSync(store.stepsPath)).toBe(false);
    expect(written.serial).toBe(after.serial + 1);
    expect(names(JSON.parse(await readFile(file, 'utf8')) as KeyplanState)).toEqual(['a', 'b', 'c', 'd']);
  });
});
