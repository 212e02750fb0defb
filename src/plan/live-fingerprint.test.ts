import { describe, expect, it } from 'vitest';
import type { LiveKey } from '../model/live.js';
import { canonicalJson, diffFingerprints, fingerprintLive } from './live-fingerprint.js';
import { USER_A, USER_B, live, snapshot } from '../../test/helpers/plan-fixtures.js';

const base = (): LiveKey[] => [live('aa'), live('bb'), live('cc', { owner: USER_B })];

describe('canonicalJson', () => {
  it('sorts object keys at every level, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[2,1]},"b":1}');
  });
});

describe('fingerprintLive', () => {
  it('is stable: same facts in another order give the same fingerprint', () => {
    const a = fingerprintLive(snapshot(base()));
    const shuffled = [...base()].reverse().map((k) => ({ ...k, attributes: Object.fromEntries(Object.entries(k.attributes).reverse()) }));
    const scopes = [USER_B, USER_A].map((owner) => ({ owner, kind: 'oci.api_key', provider: 'oci' }));
    const b = fingerprintLive(snapshot(shuffled, scopes));
    expect(b).toEqual(a);
    expect(a.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.keys.map((k) => k.id)).toEqual(['aa', 'bb', 'cc']);
  });

  it.each<[string, (keys: LiveKey[]) => LiveKey[]]>([
    ['a status change', (keys) => keys.map((k) => (k.id === 'bb' ? { ...k, status: 'inactive' } : k))],
    ['an expiry change', (keys) => keys.map((k) => (k.id === 'bb' ? { ...k, expiresAt: '2025-07-01T00:00:00Z' } : k))],
    ['an attribute change', (keys) => keys.map((k) => (k.id === 'bb' ? { ...k, attributes: { ...k.attributes, bits: 4096 } } : k))],
    ['a creation time change', (keys) => keys.map((k) => (k.id === 'bb' ? { ...k, createdAt: '2020-01-01T00:00:00Z' } : k))],
    ['a marker change', (keys) => keys.map((k) => (k.id === 'bb' ? { ...k, marker: 'other' } : k))],
    ['a deleted key', (keys) => keys.filter((k) => k.id !== 'bb')],
    ['a new key', (keys) => [...keys, live('dd')]],
  ])('changes with %s', (_what, edit) => {
    expect(fingerprintLive(snapshot(edit(base()))).sha256).not.toBe(fingerprintLive(snapshot(base())).sha256);
  });

  it('changes when another set of scopes was read, even with no keys in them', () => {
    const one = fingerprintLive(snapshot([], [{ provider: 'oci', kind: 'oci.api_key', owner: USER_A }]));
    expect(fingerprintLive(snapshot([])).sha256).not.toBe(one.sha256);
  });
});

describe('diffFingerprints', () => {
  it('is empty for equal snapshots', () => {
    expect(diffFingerprints(fingerprintLive(snapshot(base())), fingerprintLive(snapshot(base())))).toEqual([]);
  });

  it('names each key that was deleted, appeared or changed, and how', () => {
    const after = [live('aa', { status: 'inactive' }), live('cc', { owner: USER_B }), live('dd')];
    const diffs = diffFingerprints(fingerprintLive(snapshot(base())), fingerprintLive(snapshot(after)));
    expect(diffs.map((d) => [d.owner, d.id, d.change, d.detail])).toEqual([
      [USER_A, 'aa', 'changed', 'status active → inactive'],
      [USER_A, 'bb', 'deleted', ''],
      [USER_A, 'dd', 'appeared', ''],
    ]);
  });

  it('says "attributes changed" when only the digest tells', () => {
    const after = base().map((k) => (k.id === 'aa' ? { ...k, attributes: { ...k.attributes, bits: 4096 } } : k));
    const [d] = diffFingerprints(fingerprintLive(snapshot(base())), fingerprintLive(snapshot(after)));
    expect(d).toMatchObject({ id: 'aa', change: 'changed', detail: 'attributes changed' });
  });

  it('reports scopes read then but not now, and the reverse', () => {
    const a = fingerprintLive(snapshot([], [{ provider: 'oci', kind: 'oci.api_key', owner: USER_A }]));
    const b = fingerprintLive(snapshot([], [{ provider: 'oci', kind: 'oci.api_key', owner: USER_B }]));
    expect(diffFingerprints(a, b).map((d) => [d.owner, d.change])).toEqual([
      [USER_A, 'scope_removed'],
      [USER_B, 'scope_added'],
    ]);
  });
});
