import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../model/state.js';
import { recordIntent } from './journal.js';
import { StateSession } from './state-session.js';
import type { LockInfo, StateStore } from './store.js';

/** An in-memory store that records writes and can be told to fail or be slow. */
class MemoryStore implements StateStore {
  readonly description = 'memory';
  writes: KeyplanState[] = [];
  active = 0;
  maxActive = 0;
  failNext = false;

  lock(): Promise<LockInfo> {
    throw new Error('not used');
  }
  unlock(): Promise<void> {
    throw new Error('not used');
  }
  forceUnlock(): Promise<void> {
    throw new Error('not used');
  }
  read(): Promise<KeyplanState> {
    throw new Error('not used');
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  async write(state: KeyplanState): Promise<KeyplanState> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await sleep(5);
    this.active--;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    const next = { ...state, serial: state.serial + 1 };
    this.writes.push(next);
    return next;
  }
}

const INITIAL: KeyplanState = { version: 1, lineage: 'l', serial: 0, keys: {}, intents: [] };
const add = (id: string) => (s: KeyplanState) => recordIntent(s, { id, operation: 'create', name: id, kind: 'k', provider: 'p', owner: 'o', startedAt: 't' });

describe('StateSession', () => {
  it('serialises concurrent updates, each seeing the previous result', async () => {
    const store = new MemoryStore();
    const session = new StateSession(store, INITIAL);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => session.update(add(id))));
    expect(store.maxActive).toBe(1);
    expect(store.writes.map((w) => w.serial)).toEqual([1, 2, 3, 4]);
    expect(session.current.intents.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(session.current.serial).toBe(4);
  });

  it('rejects only the failed update and keeps going', async () => {
    const store = new MemoryStore();
    const session = new StateSession(store, INITIAL);
    await session.update(add('a'));
    store.failNext = true;
    const failed = session.update(add('b'));
    const after = session.update(add('c'));
    await expect(failed).rejects.toThrow('disk full');
    await after;
    expect(session.current.intents.map((i) => i.id)).toEqual(['a', 'c']);
  });

  it('rejects when the mutator throws, without writing', async () => {
    const store = new MemoryStore();
    const session = new StateSession(store, INITIAL);
    await expect(
      session.update(() => {
        throw new Error('bad mutator');
      }),
    ).rejects.toThrow('bad mutator');
    expect(store.writes).toEqual([]);
  });

  it('skips the write when the mutator changes nothing', async () => {
    const store = new MemoryStore();
    const session = new StateSession(store, INITIAL);
    await session.update((s) => s);
    expect(store.writes).toEqual([]);
    expect(session.current).toBe(INITIAL);
  });
});
