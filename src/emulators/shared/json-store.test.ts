/** The shared store file: write-through, the change log, reload on another writer's change, damaged files. */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

interface LedgerDoc {
  readonly formatVersion: 1;
  owner: string;
  users: Record<string, string[]>;
}

/** A store that marks what it changes, so its commits go to the log. */
class Ledger extends JsonStore<LedgerDoc> {
  constructor(dataDir: string | undefined) {
    super({ emulator: 'Test', file: 'store.json', check: () => undefined }, dataDir, () => ({ formatVersion: 1, owner: 'nobody', users: {} }));
  }

  get users(): Readonly<Record<string, readonly string[]>> {
    return this.doc.users;
  }

  get owner(): string {
    return this.doc.owner;
  }

  add(user: string, key: string): void {
    (this.doc.users[user] ??= []).push(key);
    this.touch('users', user);
    this.commit();
  }

  drop(user: string): void {
    delete this.doc.users[user];
    this.touch('users', user);
    this.commit();
  }

  /** Changes a scalar along with a marked part: the scalar is logged too. */
  handOver(owner: string, user: string, key: string): void {
    this.doc.owner = owner;
    this.add(user, key);
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

  it('appends marked changes to the log at a cost independent of the store size, and folds the log when opened', () => {
    const dir = tempDir();
    const store = new Ledger(dir);
    store.add('u0', 'k0');
    const file = join(dir, 'store.json');
    const log = `${file}.log`;
    const fileAfterFirst = readFileSync(file, 'utf8');
    const sizes: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const before = statSync(log, { throwIfNoEntry: false })?.size ?? 0;
      store.add(`u${String(i).padStart(2, '0')}`, `k${String(i).padStart(2, '0')}`);
      sizes.push(statSync(log).size - before);
    }
    store.drop('u01');
    store.handOver('alice', 'u02', 'k99');
    // The file itself stays as first written; each append is one user's worth of bytes.
    expect(readFileSync(file, 'utf8')).toBe(fileAfterFirst);
    expect(new Set(sizes).size).toBe(1);
    expect(statSync(log).mode & 0o777).toBe(0o600);

    const again = new Ledger(dir);
    expect(again.owner).toBe('alice');
    expect(Object.keys(again.users)).toHaveLength(60);
    expect(again.users['u01']).toBeUndefined();
    expect(again.users['u02']).toEqual(['k02', 'k99']);
    expect(readdirSync(dir)).toEqual(['store.json']);
  });

  it('ignores a torn last log line and picks up lines another process appended', () => {
    const dir = tempDir();
    const mine = new Ledger(dir);
    mine.add('a', 'k1');
    mine.add('a', 'k2');
    const theirs = new Ledger(dir);
    theirs.add('b', 'k3');
    mine.sync();
    expect(mine.users['b']).toEqual(['k3']);
    mine.add('c', 'k4');
    theirs.sync();
    expect(Object.keys(theirs.users).sort()).toEqual(['a', 'b', 'c']);
    appendFileSync(join(dir, 'store.json.log'), '{"p":["users","d"],"v":["k');
    const reopened = new Ledger(dir);
    expect(Object.keys(reopened.users).sort()).toEqual(['a', 'b', 'c']);
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
