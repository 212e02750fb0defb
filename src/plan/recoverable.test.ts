/**
 * Live keys carrying keyplan's marker for a declared name whose state record holds another
 * id: what is left after restoring an older state backup past a rotation. The plan must
 * show them with the commands that adopt them and count them, so `--detailed-exitcode`
 * and the summary do not say "no changes" while a key keyplan made stays live forever.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { ManagedKey } from '../model/state.js';
import { daysAgo, options, state } from '../../test/helpers/plan-fixtures.js';
import { renderPlanHuman } from '../render/human.js';
import { PLAN_CODES } from './diagnostics.js';
import { plan } from './planner.js';

const KIND = 'outscale.access_key';
const USER = 'etl-bot';

function declared(name: string, owner = USER): DesiredKey {
  return {
    name,
    kind: KIND,
    provider: 'osc',
    owner,
    attributes: { user_name: owner, expires_in: null, state: 'ACTIVE' },
    passphrase: { none: true },
    outputs: [{ type: 'file', path: `${name}.json` }],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

function liveKey(id: string, marker?: string): LiveKey {
  return {
    provider: 'osc',
    kind: KIND,
    owner: USER,
    id,
    status: 'active',
    createdAt: daysAgo(1),
    attributes: { access_key_id: id, state: 'ACTIVE', expires_in: null, tag: null },
    ...(marker !== undefined ? { marker } : {}),
  };
}

function managed(name: string, id: string): ManagedKey {
  return {
    name,
    kind: KIND,
    provider: 'osc',
    owner: USER,
    current: { id, createdAt: daysAgo(1), attributes: { user_name: USER, expires_in: null, state: 'ACTIVE', access_key_id: id } },
    retiring: [],
  };
}

const snap = (keys: LiveKey[]) => ({ scopes: [{ provider: 'osc', kind: KIND, owner: USER }], keys });

describe('marked keys of a name the state records with another id', () => {
  it('are shown as recoverable with the adopting commands and counted, though nothing else changes', () => {
    // The restored backup still names the pre-rotation key AKOLD; AKNEW is the rotated one.
    const p = plan([declared('etl')], snap([liveKey('AKOLD', 'etl'), liveKey('AKNEW', 'etl')]), state([managed('etl', 'AKOLD')]), options());
    expect(p.changes).toEqual([]);
    expect(p.errored).toBe(false);
    expect(p.summary).toEqual({ create: 0, rotate: 0, update: 0, delete: 0, import: 1 });
    expect(p.diagnostics.map((d) => [d.severity, d.code, d.path, d.message])).toEqual([
      [
        'warning',
        PLAN_CODES.recoverable,
        'keys[0]',
        `${KIND} AKNEW of ${USER} carries keyplan's marker for "etl", but the state records "etl" as AKOLD (was the state restored from an older backup?); ` +
          'to adopt AKNEW in its place, run: keyplan state rm etl, then keyplan import etl AKNEW (AKOLD is then no longer managed: delete it once nothing uses it)',
      ],
    ]);
    const text = renderPlanHuman(p, { color: false });
    expect(text).not.toContain('No changes');
    expect(text).toContain('Plan: 1 to import, 0 to create, 0 to rotate, 0 to update, 0 to delete.');
  });

  it('are counted only for the --target keys', () => {
    const input = [[declared('etl'), declared('ci')], snap([liveKey('AKOLD', 'etl'), liveKey('AKNEW', 'etl')]), state([managed('etl', 'AKOLD')])] as const;
    expect(plan([...input[0]], input[1], input[2], { ...options(), targets: ['ci'] }).summary.import).toBe(0);
    expect(plan([...input[0]], input[1], input[2], { ...options(), targets: ['etl'] }).summary.import).toBe(1);
  });

  it('note the marked key on the create that replaces a recorded key gone missing', () => {
    const p = plan([declared('etl')], snap([liveKey('AKNEW', 'etl')]), state([managed('etl', 'AKGONE')]), options());
    expect(p.changes).toMatchObject([{ action: 'create', reason: 'drift_missing' }]);
    expect(p.changes[0]?.notes).toContain(
      "live key AKNEW carries this key's marker; `keyplan state rm etl`, then `keyplan import etl AKNEW` would adopt it instead",
    );
    expect(p.summary).toMatchObject({ create: 1, import: 1 });
  });

  it('are neither shown nor counted when the marked key is already managed, or its scope differs', () => {
    const retiring: ManagedKey = { ...managed('etl', 'AKNEW'), retiring: [{ ...managed('etl', 'AKOLD').current, retireAfter: daysAgo(-1) }] };
    const ok = plan([declared('etl')], snap([liveKey('AKOLD', 'etl'), liveKey('AKNEW', 'etl')]), state([retiring]), options());
    expect(ok.diagnostics).toEqual([]);
    expect(ok.summary.import).toBe(0);
    const twoScopes = {
      scopes: [
        { provider: 'osc', kind: KIND, owner: USER },
        { provider: 'osc', kind: KIND, owner: 'other-user' },
      ],
      keys: [liveKey('AKNEW', 'etl')],
    };
    const elsewhere = plan([declared('etl', 'other-user')], twoScopes, state([{ ...managed('etl', 'AKOLD'), owner: 'other-user' }]), options());
    expect(elsewhere.summary.import).toBe(0);
    expect(elsewhere.diagnostics.map((d) => d.code)).toEqual([PLAN_CODES.recoverable]);
  });
});
