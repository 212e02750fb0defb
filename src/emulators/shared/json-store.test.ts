/** The shared store file: write-through, reload on another writer's change, damaged files. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isRecord, JsonStore, type JsonStoreFormat } from './json-store.js';

interface CounterDoc {
  readonly formatVersion: 1;
  count: number;
}

const FORMAT: JsonStoreFormat<CounterDoc> = {
  emulator: 'Test',
  file: 'store.json',
  check(doc, fail) {
    if (typeof doc['count'] !== 'number') fail('a number `count`');
  },
};

class Counter extends JsonStore<CounterDoc> {
  constructor(dataDir: string | undefined) {
    super(FORMAT, dataDir, () => ({ formatVersion: 1, count: 0 }));
  }

  get count(): number {
    return this.doc.count;
  }

  increment(): void {
    this.doc.count += 1;
    this.commit();
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-json-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('JsonStore', () => {
  it('starts fresh without a file and writes nothing until the first commit', () => {
    const dir = tempDir();
    const store = new Counter(dir);
    expect(store.loaded).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    store.increment();
    expect(JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8'))).toEqual({ formatVersion: 1, count: 1 });
    // The store holds the sandbox's secrets, and no temporary file is left behind.
    expect(statSync(join(dir, 'store.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['store.json']);
  });

  it('reads an existing file back', () => {
    const dir = tempDir();
    new Counter(dir).increment();
    const again = new Counter(dir);
    expect([again.loaded, again.count]).toEqual([true, 1]);
  });

  it('sync() picks up what another process committed, and only then', () => {
    const dir = tempDir();
    const mine = new Counter(dir);
    mine.increment();
    const theirs = new Counter(dir);
    theirs.increment();
    theirs.increment();
    expect(mine.count).toBe(1);
    mine.sync();
    expect(mine.count).toBe(3);
    // Our own commit does not count as a change to re-read.
    mine.increment();
    mine.sync();
    expect(mine.count).toBe(4);
  });

  it('keeps everything in memory without a data folder', () => {
    const store = new Counter(undefined);
    store.increment();
    store.sync();
    expect([store.loaded, store.count]).toEqual([false, 1]);
  });

  it.each([
    ['not json', 'JSON'],
    ['{"formatVersion":2,"count":1}', 'formatVersion 1'],
    ['[1]', 'formatVersion 1'],
    ['{"formatVersion":1}', 'a number `count`'],
  ])('refuses the damaged file %j, naming the emulator and the way out', (text, what) => {
    const dir = tempDir();
    const path = join(dir, 'store.json');
    writeFileSync(path, text);
    expect(() => new Counter(dir)).toThrow(`Expected the Test emulator store \`${path}\` to hold ${what}; remove it to start afresh`);
  });

  it('isRecord accepts plain objects only', () => {
    expect([{}, [], null, 'x', 1].map(isRecord)).toEqual([true, false, false, false, false]);
  });
});
