import { describe, expect, it } from 'vitest';
import type { Intent, KeyplanState, ManagedKey } from '../../model/state.js';
import { diffStates, isEmpty, sameJson } from './diff.js';

function key(name: string, label = name): ManagedKey {
  return {
    name,
    kind: 'fake.token',
    provider: 'p',
    owner: 'o',
    current: { id: `id-${name}`, createdAt: '2025-06-01T12:00:00Z', attributes: { label } },
    retiring: [],
  };
}
function intent(id: string): Intent {
  return { id, operation: 'delete', name: 'a', kind: 'fake.token', provider: 'p', owner: 'o', liveId: 'x', startedAt: '2025-06-01T12:00:00Z' };
}
function state(keys: ManagedKey[], intents: Intent[] = []): KeyplanState {
  return { version: 1, lineage: 'l', serial: 1, keys: Object.fromEntries(keys.map((k) => [k.name, k])), intents };
}

describe('diffStates', () => {
  it('finds changed, added and removed records, by identity first and content second', () => {
    const [a, b, c] = [key('a'), key('b'), key('c')];
    const base = state([a, b, c]);
    const next = state([a, { ...b }, key('c', 'changed'), key('d')]);
    const changes = diffStates(base, next, new Map());
    expect(changes.upsertKeys.map((k) => k.name)).toEqual(['c', 'd']);
    expect(diffStates(base, state([b]), new Map()).deleteKeys).toEqual(['a', 'c']);
    expect(isEmpty(diffStates(base, state([a, { ...b, current: { ...b.current } }, c]), new Map()))).toBe(true);
  });

  it('keeps intent ordinals while the order allows and renumbers what moved', () => {
    const [i1, i2, i3] = [intent('i1'), intent('i2'), intent('i3')];
    const ordinals = new Map([
      ['i1', 1],
      ['i2', 2],
      ['i3', 3],
    ]);
    const base = state([], [i1, i2, i3]);
    const appended = diffStates(base, state([], [i1, i2, i3, intent('i4')]), ordinals);
    expect(appended.upsertIntents.map((u) => [u.intent.id, u.ordinal])).toEqual([['i4', 4]]);
    const removed = diffStates(base, state([], [i1, i3]), ordinals);
    expect(removed.deleteIntents).toEqual(['i2']);
    expect(removed.upsertIntents).toEqual([]);
    // Recorded again (moved to the end): it and only it gets a new, higher ordinal.
    const moved = diffStates(base, state([], [i2, i3, i1]), ordinals);
    expect(moved.upsertIntents.map((u) => [u.intent.id, u.ordinal])).toEqual([['i1', 4]]);
    expect([...moved.ordinals.entries()]).toEqual([
      ['i2', 2],
      ['i3', 3],
      ['i1', 4],
    ]);
  });

  it('with no stored state, writes everything', () => {
    const changes = diffStates(undefined, state([key('a')], [intent('i')]), new Map());
    expect(changes.upsertKeys).toHaveLength(1);
    expect(changes.upsertIntents.map((u) => u.ordinal)).toEqual([1]);
  });
});

describe('sameJson', () => {
  it('ignores object key order but not array order or values', () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
  });
});
