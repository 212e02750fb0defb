import { describe, expect, it } from 'vitest';
import { ScopeMap } from './scope-map.js';

describe('ScopeMap', () => {
  it('keeps one value per provider, kind and owner, in the order scopes were first set', () => {
    const map = new ScopeMap<string>();
    map.set({ provider: 'osc', kind: 'outscale.access_key', owner: 'b' }, 'first');
    map.set({ provider: 'osc', kind: 'outscale.access_key', owner: 'a' }, 'second');
    map.set({ provider: 'dataos', kind: 'dataos.api_key', owner: 'b' }, 'third');
    map.set({ provider: 'osc', kind: 'outscale.access_key', owner: 'b' }, 'replaced');
    expect([...map.values()]).toEqual(['replaced', 'second', 'third']);
    expect(map.get({ provider: 'osc', kind: 'outscale.access_key', owner: 'a' })).toBe('second');
    expect(map.get({ provider: 'osc', kind: 'dataos.api_key', owner: 'b' })).toBeUndefined();
  });

  it('tells apart scopes whose parts would join into the same text', () => {
    const map = new ScopeMap<number>();
    map.set({ provider: 'p', kind: 'k|x', owner: 'o' }, 1);
    map.set({ provider: 'p', kind: 'k', owner: 'x|o' }, 2);
    expect(map.get({ provider: 'p', kind: 'k|x', owner: 'o' })).toBe(1);
    expect(map.get({ provider: 'p', kind: 'k', owner: 'x|o' })).toBe(2);
  });
});
