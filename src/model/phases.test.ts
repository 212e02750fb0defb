import { describe, expect, it } from 'vitest';
import { keyPhases } from './phases.js';
import type { ManagedKey } from './state.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();

function key(extra: Partial<ManagedKey> = {}): ManagedKey {
  return {
    name: 'etl',
    kind: 'acme.api_key',
    provider: 'acme',
    owner: 'bot',
    current: { id: 'new', createdAt: at(0), attributes: {} },
    retiring: [],
    ...extra,
  };
}

describe('keyPhases', () => {
  it('shows a fresh key as created, and as verified once it authenticated, with its rotation due at max_age', () => {
    expect(keyPhases(key(), T0, { maxAgeMs: 30 * DAY, overlapMs: DAY })).toEqual([
      { instanceId: 'new', role: 'current', phase: 'created', next: { phase: 'overlap', at: at(30), due: false } },
    ]);
    const verified = key({ current: { id: 'new', createdAt: at(0), attributes: {}, verifiedAt: at(0) } });
    expect(keyPhases(verified, T0 + 31 * DAY, { maxAgeMs: 30 * DAY, overlapMs: DAY })[0]).toEqual({
      instanceId: 'new',
      role: 'current',
      phase: 'verified',
      next: { phase: 'overlap', at: at(30), due: true },
    });
  });

  it('gives a current key without max_age no next phase', () => {
    expect(keyPhases(key(), T0, { overlapMs: DAY })).toEqual([{ instanceId: 'new', role: 'current', phase: 'created' }]);
  });

  it('goes from current straight to deactivated or deleted when there is no overlap', () => {
    expect(keyPhases(key(), T0, { maxAgeMs: DAY, overlapMs: 0, deactivateForMs: DAY })[0]?.next?.phase).toBe('deactivated');
    expect(keyPhases(key(), T0, { maxAgeMs: DAY, overlapMs: 0 })[0]?.next?.phase).toBe('deleted');
  });

  it('shows an old key in its overlap, followed by deactivation when deactivate_for is set and by deletion otherwise', () => {
    const k = key({ retiring: [{ id: 'old', createdAt: at(-30), attributes: {}, retireAfter: at(1) }] });
    expect(keyPhases(k, T0, { overlapMs: DAY, deactivateForMs: DAY })[1]).toEqual({
      instanceId: 'old',
      role: 'retiring',
      phase: 'overlap',
      until: at(1),
      next: { phase: 'deactivated', at: at(1), due: false },
    });
    expect(keyPhases(k, T0 + DAY, { overlapMs: DAY })[1]?.next).toEqual({ phase: 'deleted', at: at(1), due: true });
    expect(keyPhases(k, T0)[1]?.next).toEqual({ phase: 'deleted', at: at(1), due: false });
  });

  it('shows a deactivated key until its deleteAfter, then due for deletion', () => {
    const k = key({ retiring: [{ id: 'old', createdAt: at(-30), attributes: {}, retireAfter: at(1), deactivatedAt: at(1), deleteAfter: at(2) }] });
    const phases = keyPhases(k, T0 + DAY, { overlapMs: DAY, deactivateForMs: DAY });
    expect(phases[1]).toEqual({ instanceId: 'old', role: 'retiring', phase: 'deactivated', until: at(2), next: { phase: 'deleted', at: at(2), due: false } });
    expect(keyPhases(k, T0 + 2 * DAY)[1]?.next?.due).toBe(true);
  });

  it('shows a rotation waiting for its new key to authenticate as unverified, the old key still current', () => {
    const k = key({
      current: { id: 'old', createdAt: at(-30), attributes: {} },
      pending: { id: 'new', createdAt: at(0), attributes: {}, unverifiedSince: at(0), verifyError: '401 after 2m' },
    });
    expect(keyPhases(k, T0, { maxAgeMs: 20 * DAY })).toEqual([
      { instanceId: 'old', role: 'current', phase: 'created' },
      { instanceId: 'new', role: 'pending', phase: 'unverified', next: { phase: 'verified', due: true } },
    ]);
  });

  it('orders current, pending, then retiring keys by the end of their phase and id, whatever order the state lists them in', () => {
    const k = key({
      retiring: [
        { id: 'c', createdAt: at(-9), attributes: {}, retireAfter: at(3) },
        { id: 'b', createdAt: at(-9), attributes: {}, retireAfter: at(1) },
        { id: 'a', createdAt: at(-9), attributes: {}, retireAfter: at(3) },
      ],
    });
    expect(keyPhases(k, T0).map((p) => p.instanceId)).toEqual(['new', 'b', 'a', 'c']);
  });
});
