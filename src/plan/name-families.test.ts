/**
 * Planner behaviour for kinds with name families (dataos.api_key): a taken base name is
 * refused naming the unmanaged token, other strangers in the family are a warning,
 * overlapping families are refused, and a rotated key's generations plan as no change.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { ManagedKey } from '../model/state.js';
import { DAY, NOW, options, snapshot, state } from '../../test/helpers/plan-fixtures.js';
import { plan } from './planner.js';

const SCOPE = { provider: 'dataos', kind: 'dataos.api_key', owner: '(caller)' } as const;

function key(name: string, tokenName = name, over: Partial<DesiredKey> = {}): DesiredKey {
  return {
    name,
    ...SCOPE,
    attributes: { token_name: tokenName, duration: '720h' },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: DAY, requireOverlap: false, beforeExpiryMs: 2 * DAY },
    ...over,
  };
}

function token(liveName: string, expiresInDays = 20): LiveKey {
  const expiration = new Date(NOW + expiresInDays * DAY).toISOString();
  return {
    ...SCOPE,
    id: `(caller)/${liveName}`,
    status: 'active',
    expiresAt: expiration,
    attributes: { live_name: liveName, user_id: 'iamgroot', expiration },
  };
}

function managed(name: string, current: string, retiring: readonly string[] = [], retireInDays = 1): ManagedKey {
  const attributes = { token_name: name, duration: '720h' };
  const created = new Date(NOW - DAY).toISOString();
  return {
    name,
    ...SCOPE,
    current: { id: `(caller)/${current}`, createdAt: created, attributes },
    retiring: retiring.map((id) => ({ id: `(caller)/${id}`, createdAt: created, attributes, retireAfter: new Date(NOW + retireInDays * DAY).toISOString() })),
  };
}

const read = [SCOPE];

describe('plan: name families (dataos.api_key)', () => {
  it('refuses to create a key whose token name an unmanaged token holds, naming it', () => {
    const p = plan([key('presto')], snapshot([token('presto')], read), state(), options());
    expect(p.errored).toBe(true);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'KP_PLAN_E0007',
        path: 'keys[0].token_name',
        message: expect.stringContaining('"presto" is already used by (caller)/presto, which keyplan does not manage'),
      }),
    ]);
    expect(p.unmanaged.map((k) => k.id)).toEqual(['(caller)/presto']);
  });

  it('warns about unmanaged later generations, which the new key skips', () => {
    const p = plan([key('presto')], snapshot([token('presto-2'), token('presto-x'), token('other')], read), state(), options());
    expect(p.errored).toBe(false);
    expect(p.changes.map((c) => c.action)).toEqual(['create']);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'KP_PLAN_W0008', message: expect.stringContaining('(caller)/presto-2 is in the name family') }),
    ]);
  });

  it('refuses two keys of one owner whose families overlap, but not across owners', () => {
    const p = plan([key('a', 'presto'), key('b', 'presto-2')], snapshot([], read), state(), options());
    expect(p.diagnostics).toEqual([expect.objectContaining({ code: 'KP_PLAN_E0008', path: 'keys[1].token_name' })]);
    const other = key('b', 'presto-2', { owner: 'alice', attributes: { token_name: 'presto-2', duration: '720h', user: 'alice' } });
    expect(plan([key('a', 'presto'), other], snapshot([], [...read, { ...SCOPE, owner: 'alice' }]), state(), options()).diagnostics).toEqual([]);
  });

  it('plans no change while a rotated key overlaps its predecessor, and retires the old one when due', () => {
    const live = snapshot([token('presto'), token('presto-2')], read);
    const p = plan([key('presto')], live, state([managed('presto', 'presto-2', ['presto'])]), options());
    expect(p).toMatchObject({ changes: [], unmanaged: [], diagnostics: [] });
    const later = plan([key('presto')], live, state([managed('presto', 'presto-2', ['presto'])]), options({ now: NOW + 2 * DAY }));
    expect(later.changes).toEqual([expect.objectContaining({ action: 'retire', deletes: [expect.objectContaining({ id: '(caller)/presto' })] })]);
  });

  it('rotates near expiry with an overlap, warning about a stranger in the family', () => {
    const live = snapshot([token('presto-2', 1), token('presto-3')], read);
    const p = plan([key('presto')], live, state([managed('presto', 'presto-2')]), options());
    expect(p.changes).toEqual([expect.objectContaining({ action: 'rotate', reason: 'expiring', order: 'create_before_delete', overlapMs: DAY })]);
    expect(p.diagnostics).toEqual([expect.objectContaining({ code: 'KP_PLAN_W0008', message: expect.stringContaining('(caller)/presto-3') })]);
    expect(p.changes[0]?.before).toMatchObject({ live_name: 'presto-2', user_id: 'iamgroot' });
  });

  it('says nothing about a scope that was not read', () => {
    const p = plan([key('presto')], snapshot([token('presto')], []), state(), options());
    expect(p.diagnostics).toEqual([]);
  });
});
