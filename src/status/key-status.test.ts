/**
 * `keyplan status`'s pure half with a fixed `now`: ages, expiries (a kind's own reading or
 * creation + lifetime), the next rotation (the earlier of max_age and before_expiry),
 * phases of old and pending keys, what falls inside `--expiring-within`, and the text and
 * JSON a user sees.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredKey, RotationPolicy } from '../model/desired.js';
import type { KeyplanState, ManagedKey } from '../model/state.js';
import type { KindModule } from '../providers/module.js';
import { recordedExpiry } from './expiry.js';
import { formatStatusText, relative, statusJson } from './format.js';
import { dueWithin, keyStatuses } from './key-status.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00.000Z');
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();

function record(name: string, kind: string, extra: Partial<ManagedKey> = {}, attributes: ManagedKey['current']['attributes'] = {}): ManagedKey {
  return { name, kind, provider: 'p', owner: 'o', current: { id: `${name}-1`, createdAt: at(0), attributes }, retiring: [], ...extra };
}

function desired(name: string, rotation: Partial<RotationPolicy>): DesiredKey {
  return {
    name,
    kind: 'acme.api_key',
    provider: 'p',
    owner: 'o',
    attributes: {},
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false, ...rotation },
  };
}

function state(...records: ManagedKey[]): KeyplanState {
  return { version: 1, lineage: 'l', serial: 1, keys: Object.fromEntries(records.map((r) => [r.name, r])), intents: [] };
}

/** Kinds as the registry has them: one with a lifetime field, one reading an attribute, one that never expires. */
const KINDS: Record<string, Pick<KindModule, 'lifetime' | 'expiresAt'>> = {
  'acme.expiring': { lifetime: { field: 'expires_in' } },
  'acme.token': {
    lifetime: { field: 'duration', default: '24h' },
    expiresAt: (i) => (typeof i.attributes['expiration'] === 'string' ? i.attributes['expiration'] : undefined),
  },
  'acme.api_key': {},
};
const expiryOf = (r: ManagedKey): string | undefined => recordedExpiry(KINDS[r.kind] as KindModule, r);

describe('recordedExpiry', () => {
  it('is creation + the recorded lifetime, the kind’s own reading when it has one, and none for null or kinds that never expire', () => {
    expect(expiryOf(record('a', 'acme.expiring', {}, { expires_in: '10d' }))).toBe(at(10));
    expect(expiryOf(record('a', 'acme.expiring', {}, { expires_in: null }))).toBeUndefined();
    expect(expiryOf(record('t', 'acme.token', {}, { expiration: '2026-06-02T23:00:00Z' }))).toBe('2026-06-02T23:00:00Z');
    // Without a reported expiration, the default lifetime from creation.
    expect(expiryOf(record('t', 'acme.token'))).toBe(at(1));
    expect(expiryOf(record('k', 'acme.api_key'))).toBeUndefined();
  });
});

describe('keyStatuses and dueWithin', () => {
  const keys = state(
    record('zeta', 'acme.api_key'),
    record('alpha', 'acme.expiring', {}, { expires_in: '10d' }),
    record('mid', 'acme.api_key', { retiring: [{ id: 'mid-0', createdAt: at(-90), attributes: {}, retireAfter: at(2) }] }),
    record('gone', 'acme.api_key'),
  );
  const decl = [
    desired('zeta', { maxAgeMs: 90 * DAY }),
    desired('alpha', { beforeExpiryMs: 3 * DAY, maxAgeMs: 30 * DAY }),
    desired('mid', { maxAgeMs: 90 * DAY, overlapMs: 2 * DAY }),
  ];

  it('lists every key by name with age, expiry, phase and the earlier of its rotation triggers', () => {
    const statuses = keyStatuses(keys, decl, T0 + 5 * DAY, expiryOf);
    expect(statuses.map((s) => s.name)).toEqual(['alpha', 'gone', 'mid', 'zeta']);
    const [alpha, gone, mid, zeta] = statuses;
    expect(alpha).toMatchObject({ ageMs: 5 * DAY, expiresAt: at(10), nextRotation: { at: at(7), reason: 'before_expiry' }, declared: true });
    expect(zeta).toMatchObject({ nextRotation: { at: at(90), reason: 'max_age' } });
    expect(zeta?.expiresAt).toBeUndefined();
    expect(gone).toMatchObject({ declared: false });
    expect(gone?.nextRotation).toBeUndefined();
    expect(mid?.phases).toEqual([
      { instanceId: 'mid-1', role: 'current', phase: 'created', next: { phase: 'overlap', at: at(90), due: false } },
      { instanceId: 'mid-0', role: 'retiring', phase: 'overlap', until: at(2), next: { phase: 'deleted', at: at(2), due: true } },
    ]);
  });

  it('--expiring-within: what expires, rotates or changes phase before now + window, soonest first', () => {
    const now = T0 + DAY;
    const statuses = keyStatuses(keys, decl, now, expiryOf);
    expect(dueWithin(statuses, now, DAY)).toEqual([{ name: 'mid', what: 'mid-0 overlap → deleted', at: at(2) }]);
    expect(dueWithin(statuses, now, 14 * DAY)).toEqual([
      { name: 'mid', what: 'mid-0 overlap → deleted', at: at(2) },
      { name: 'alpha', what: 'rotation (before_expiry)', at: at(7) },
      { name: 'alpha', what: 'expires', at: at(10) },
    ]);
    expect(dueWithin(keyStatuses(state(record('zeta', 'acme.api_key')), decl, now, expiryOf), now, 14 * DAY)).toEqual([]);
    // Overdue counts too.
    expect(dueWithin(keyStatuses(state(record('zeta', 'acme.api_key')), decl, T0 + 100 * DAY, expiryOf), T0 + 100 * DAY, 0)).toEqual([
      { name: 'zeta', what: 'rotation (max_age)', at: at(90) },
    ]);
  });

  it('a rotation waiting on its new key: no new rotation is scheduled and the verification is due now', () => {
    const pending = record('p', 'acme.api_key', { pending: { id: 'p-2', createdAt: at(1), attributes: {}, unverifiedSince: at(1) } });
    const [s] = keyStatuses(state(pending), [desired('p', { maxAgeMs: DAY })], T0 + 2 * DAY, expiryOf);
    expect(s?.nextRotation).toBeUndefined();
    expect(s?.phases[1]).toMatchObject({ instanceId: 'p-2', role: 'pending', phase: 'unverified' });
    expect(dueWithin(s === undefined ? [] : [s], T0 + 2 * DAY, 0)).toEqual([{ name: 'p', what: 'p-2 unverified → verified', at: at(2) }]);
  });
});

describe('status text and JSON', () => {
  it('renders one row per key with an indented row per old key, and relative times', () => {
    const now = T0 + DAY;
    const s = state(
      record('mid', 'acme.api_key', { retiring: [{ id: 'mid-0', createdAt: at(-90), attributes: {}, retireAfter: at(2) }] }),
      record('alpha', 'acme.expiring', {}, { expires_in: '10d' }),
    );
    const text = formatStatusText(keyStatuses(s, [desired('mid', { maxAgeMs: 90 * DAY }), desired('alpha', {})], now, expiryOf), now);
    expect(text.split('\n')).toEqual([
      'NAME   KIND           AGE  EXPIRES                           PHASE    NEXT',
      `alpha  acme.expiring  1d   ${at(10)} (in 9d)  created  rotation (expiry) ${at(10)} (in 9d)`,
      `mid    acme.api_key   1d   -                                 created  rotation (max_age) ${at(90)} (in 89d)`,
      `       mid-0 (retiring): overlap until ${at(2)} (in 1d), then deleted`,
    ]);
    expect(formatStatusText([], now)).toBe('No keys are managed yet (the state is empty).');
    expect([relative(at(0), now), relative(at(1), now), relative(new Date(now + 90 * 60_000).toISOString(), now)]).toEqual(['1d ago', 'now', 'in 1h30m']);
  });

  it('JSON carries every key with snake_case fields, and the due events with --expiring-within', () => {
    const now = T0 + DAY;
    const statuses = keyStatuses(state(record('alpha', 'acme.expiring', {}, { expires_in: '10d' })), [desired('alpha', {})], now, expiryOf);
    const doc = JSON.parse(statusJson(statuses, now, { windowMs: 14 * DAY, events: dueWithin(statuses, now, 14 * DAY) }));
    expect(doc).toEqual({
      format_version: 1,
      now: at(1),
      keys: [
        {
          name: 'alpha',
          kind: 'acme.expiring',
          provider: 'p',
          owner: 'o',
          id: 'alpha-1',
          since: at(0),
          age_seconds: 86_400,
          expires_at: at(10),
          declared: true,
          next_rotation: { at: at(10), reason: 'expiry' },
          phases: [{ instance_id: 'alpha-1', role: 'current', phase: 'created', until: null, next: null }],
        },
      ],
      expiring_within: '14d',
      due: [
        { name: 'alpha', what: 'expires', at: at(10) },
        { name: 'alpha', what: 'rotation (expiry)', at: at(10) },
      ],
    });
  });
});
