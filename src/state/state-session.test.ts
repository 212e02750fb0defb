import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../model/state.js';
import { recordIntent } from './journal.js';
import { setCurrent } from './mutations.js';
import { StateSession } from './state-session.js';
import type { LockInfo, StateStep, StateStore } from './store.js';

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

/** A store that writes steps (as the local backend does), recording each call's steps. */
class StepStore extends MemoryStore {
  calls: StateStep[][] = [];
  async writeSteps(base: KeyplanState, steps: readonly StateStep[], after: KeyplanState): Promise<KeyplanState> {
    await sleep(5);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.calls.push([...steps]);
    return { ...after, serial: base.serial + steps.length };
  }
}

const owned = (name: string) => (s: KeyplanState) =>
  setCurrent(s, { name, kind: 'k', provider: 'p', owner: 'o' }, { id: `id-${name}`, createdAt: '2025-01-01T00:00:00Z', attributes: {} });

describe('StateSession over a store that writes steps', () => {
  it('writes only what each step changed, the steps queued behind a write together, one serial each', async () => {
    const store = new StepStore();
    const session = new StateSession(store, INITIAL);
    await Promise.all([session.update(owned('a')), session.update(owned('b')), session.update(add('i')), session.update(owned('c'))]);
    expect(store.calls.map((steps) => steps.map((s) => Object.keys(s.keys).join() || `intents ${s.intents?.length}`))).toEqual([
      ['a'],
      ['b', 'intents 1', 'c'],
    ]);
    expect(session.current.serial).toBe(4);
    expect(Object.keys(session.current.keys)).toEqual(['a', 'b', 'c']);
    // The state the session started from is never changed.
    expect(INITIAL.keys).toEqual({});
  });

  it('puts the records back when a write fails, and later updates still run', async () => {
    const store = new StepStore();
    const session = new StateSession(store, INITIAL);
    await session.update(owned('a'));
    store.failNext = true;
    const failed = session.update(owned('b'));
    await expect(failed).rejects.toThrow('disk full');
    expect(Object.keys(session.current.keys)).toEqual(['a']);
    await session.update(owned('c'));
    expect(Object.keys(session.current.keys)).toEqual(['a', 'c']);
    expect(store.calls.flat().map((s) => Object.keys(s.keys).join())).toEqual(['a', 'c']);
  });

  it('undoes the part of a mutator that threw', async () => {
    const store = new StepStore();
    const session = new StateSession(store, INITIAL);
    await expect(
      session.update((s) => {
        owned('x')(s);
        throw new Error('bad mutator');
      }),
    ).rejects.toThrow('bad mutator');
    expect(session.current.keys).toEqual({});
    expect(store.calls).toEqual([]);
  });
});
