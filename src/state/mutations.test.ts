import { describe, expect, it } from 'vitest';
import { InternalError } from '../errors/errors.js';
import type { KeyInstance, KeyplanState } from '../model/state.js';
import { addRetiring, forget, markDeactivated, removeInstance, restoreRetiring, setCurrent } from './mutations.js';

const EMPTY: KeyplanState = Object.freeze({ version: 1, lineage: 'l', serial: 3, keys: {}, intents: [] });
const CI = { name: 'ci', kind: 'oci.api_key', provider: 'oci', owner: 'ocid1.user.oc1..a' } as const;
const instance = (id: string): KeyInstance => ({ id, createdAt: '2025-01-01T00:00:00.000Z', attributes: { bits: 2048 } });

describe('state mutations', () => {
  it('sets the current instance, creating the record', () => {
    const s = setCurrent(EMPTY, CI, instance('fp1'));
    expect(s.keys['ci']).toEqual({ ...CI, current: instance('fp1'), retiring: [] });
    expect(EMPTY.keys).toEqual({});
    expect(s.serial).toBe(3);
  });

  it('rotates: old key retiring, new key current, in one step', () => {
    const s1 = setCurrent(EMPTY, CI, instance('old'));
    const s2 = setCurrent(addRetiring(s1, 'ci', instance('old'), '2025-02-01T00:00:00.000Z'), CI, instance('new'));
    expect(s2.keys['ci']?.current.id).toBe('new');
    expect(s2.keys['ci']?.retiring).toEqual([{ ...instance('old'), retireAfter: '2025-02-01T00:00:00.000Z' }]);
    expect(s1.keys['ci']?.retiring).toEqual([]);
  });

  it('refuses to retire a key that is not in state', () => {
    expect(() => addRetiring(EMPTY, 'ci', instance('x'), 't')).toThrow(InternalError);
  });

  it('removes retiring instances, then the record with its current instance', () => {
    let s = setCurrent(EMPTY, CI, instance('old'));
    s = setCurrent(addRetiring(s, 'ci', instance('old'), 't'), CI, instance('new'));
    s = removeInstance(s, 'ci', 'old');
    expect(s.keys['ci']?.retiring).toEqual([]);
    expect(removeInstance(s, 'ci', 'unknown')).toBe(s);
    expect(removeInstance(s, 'other', 'new')).toBe(s);
    expect(removeInstance(s, 'ci', 'new').keys).toEqual({});
  });

  it('refuses to remove the current instance while retiring ones remain', () => {
    let s = setCurrent(EMPTY, CI, instance('old'));
    s = setCurrent(addRetiring(s, 'ci', instance('old'), 't'), CI, instance('new'));
    expect(() => removeInstance(s, 'ci', 'new')).toThrow('Expected key ci to have no retiring keys');
  });

  it('forgets a key', () => {
    const s = setCurrent(setCurrent(EMPTY, CI, instance('a')), { ...CI, name: 'etl' }, instance('b'));
    expect(Object.keys(forget(s, 'ci').keys)).toEqual(['etl']);
    expect(Object.keys(s.keys)).toEqual(['ci', 'etl']);
    expect(forget(s, 'none')).toBe(s);
  });
});

describe('rotation phase mutations', () => {
  const base = {
    version: 1 as const,
    lineage: 'l',
    serial: 1,
    intents: [],
    keys: {
      etl: {
        name: 'etl',
        kind: 'k',
        provider: 'p',
        owner: 'o',
        current: { id: 'new', createdAt: '2026-01-02T00:00:00.000Z', attributes: {} },
        retiring: [{ id: 'old', createdAt: '2026-01-01T00:00:00.000Z', attributes: {}, retireAfter: '2026-01-03T00:00:00.000Z' }],
      },
    },
  };

  it('records a deactivation on the retiring key only', () => {
    const next = markDeactivated(base, 'etl', 'old', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z');
    expect(next.keys['etl']?.retiring).toEqual([
      { ...base.keys.etl.retiring[0], deactivatedAt: '2026-01-03T00:00:00.000Z', deleteAfter: '2026-01-04T00:00:00.000Z' },
    ]);
    expect(markDeactivated(base, 'etl', 'new', 'a', 'b')).toBe(base);
  });

  it('swaps current and retiring for an undo, dropping the old key retirement fields', () => {
    const deactivated = markDeactivated(base, 'etl', 'old', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z');
    const next = restoreRetiring(deactivated, 'etl', 'old', '2026-01-03T12:00:00.000Z', '2026-01-04T12:00:00.000Z');
    expect(next.keys['etl']?.current).toEqual({ id: 'old', createdAt: '2026-01-01T00:00:00.000Z', attributes: {}, restoredAt: '2026-01-03T12:00:00.000Z' });
    expect(next.keys['etl']?.retiring).toEqual([{ ...base.keys.etl.current, retireAfter: '2026-01-04T12:00:00.000Z' }]);
    expect(() => restoreRetiring(base, 'etl', 'gone', 'a', 'b')).toThrow('Expected key etl to have retiring key gone');
  });
});
