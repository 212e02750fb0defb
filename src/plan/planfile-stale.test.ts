import { describe, expect, it } from 'vitest';
import type { DesiredKey, KeyplanConfig } from '../model/desired.js';
import type { LiveSnapshot } from '../model/live.js';
import type { KeyplanState } from '../model/state.js';
import { plan } from './planner.js';
import { savedPlanOf, type SavedPlan } from './planfile.js';
import { preflightStaleness, staleness } from './planfile-stale.js';
import { DAY, NOW, USER_A, desired, live, options, record, snapshot, state } from '../../test/helpers/plan-fixtures.js';

const HASH = 'ab'.repeat(32);
const KEYS: readonly DesiredKey[] = [desired('ci'), desired('web', { rotation: { maxAgeMs: 30 * DAY, overlapMs: 0, requireOverlap: false } })];
const config = (keys = KEYS): KeyplanConfig => ({
  file: 'keys.yaml',
  baseDir: '/nowhere',
  hash: HASH,
  state: { backend: 'local', path: 's.json' },
  providers: {},
  keys,
});
const ST = state([
  record('ci', 'aa'),
  record('web', 'bb', { current: { id: 'bb', createdAt: new Date(NOW - 29.5 * DAY).toISOString(), attributes: { user: USER_A, bits: 2048 } } }),
]);
const LIVE = snapshot([live('aa'), live('bb'), live('zz')]);

function save(st: KeyplanState = ST, ls: LiveSnapshot = LIVE): SavedPlan {
  return savedPlanOf({
    plan: plan(KEYS, ls, st, options({ rotate: ['ci'] })),
    config: config(),
    state: st,
    live: ls,
    options: { targets: [], rotate: ['ci'] },
    keyplanVersion: '0.1.0',
  });
}

/** What apply would find: a fresh plan with the saved options against this state and live snapshot, at `now`. */
function current(st: KeyplanState, ls: LiveSnapshot, now = NOW, hash = HASH) {
  return { config: { file: 'keys.yaml', hash }, state: st, live: ls, plan: plan(KEYS, ls, st, options({ now, rotate: ['ci'] })) };
}

describe('preflightStaleness', () => {
  it('accepts the same keyplan version and config bytes', () => {
    expect(preflightStaleness(save(), { keyplanVersion: '0.1.0', configFile: 'keys.yaml', configSha256: HASH })).toEqual([]);
  });

  it('names another keyplan version and a changed config', () => {
    const reasons = preflightStaleness(save(), { keyplanVersion: '0.2.0', configFile: 'conf/keys.yaml', configSha256: 'cd'.repeat(32) });
    expect(reasons).toEqual([
      'it was made by keyplan v0.1.0; this is keyplan v0.2.0 (plans are applied by the version that made them)',
      'the config conf/keys.yaml changed since the plan was made (sha256 abababababab... then, cdcdcdcdcdcd... now)',
    ]);
  });
});

describe('staleness', () => {
  it('is empty when nothing moved: the plan is fresh', () => {
    expect(staleness(save(), current(ST, LIVE))).toEqual([]);
  });

  it('names a state whose serial moved, or another lineage', () => {
    expect(staleness(save(), current({ ...ST, serial: 4 }, LIVE))).toEqual([
      'the state changed since the plan was made (serial 1 then, 4 now): another apply or a state command ran',
    ]);
    const other = staleness(save(), current({ ...ST, lineage: '11111111-1111-4111-8111-111111111111' }, LIVE));
    expect(other).toEqual(['the state is a different one (lineage 00000000-0000-4000-8000-000000000000 then, 11111111-1111-4111-8111-111111111111 now)']);
  });

  it('accepts two reads of a state that was never written (fresh lineage each time, serial 0)', () => {
    const empty = { ...state(), serial: 0 };
    const saved = save(empty, snapshot([]));
    expect(staleness(saved, { ...current({ ...empty, lineage: 'another-uuid' }, snapshot([])) })).toEqual([]);
  });

  it('names a state that was created since a plan made without one', () => {
    const saved = save({ ...ST, serial: 0 });
    expect(staleness(saved, current({ ...ST, lineage: 'another-uuid', serial: 2 }, LIVE))).toEqual([
      'the state was created since the plan was made (none then, serial 2 now): another apply ran',
    ]);
  });

  it('names the config when it changed between the preflight and loading it', () => {
    expect(staleness(save(), current(ST, LIVE, NOW, 'ef'.repeat(32)))[0]).toMatch(/^the config keys\.yaml changed since the plan was made/);
  });

  it('names the keys whose live side moved, with their declared names, and what a new plan would do instead', () => {
    const moved = snapshot([live('bb', { status: 'inactive' }), live('zz'), live('yy')]);
    const reasons = staleness(save(), current(ST, moved));
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toBe(
      [
        'the live keys differ from the ones the plan was computed from:',
        `      key ci: oci.api_key aa of ${USER_A} (provider oci) was deleted since the plan was made`,
        `      key web: oci.api_key bb of ${USER_A} (provider oci) changed: status active → inactive`,
        `      oci.api_key yy of ${USER_A} (provider oci) appeared since the plan was made`,
      ].join('\n'),
    );
    expect(reasons[1]).toContain('oci.api_key.ci: the plan says rotate (requested, deleting aa), a new plan says create (drift_missing)');
  });

  it('names a change that only time brought: a key that came due for rotation since the plan', () => {
    const reasons = staleness(save(), current(ST, LIVE, NOW + DAY));
    expect(reasons).toEqual([
      'a new plan would make different changes:\n      oci.api_key.web: the plan says no change, a new plan says rotate (max_age, deleting bb)',
    ]);
  });
});
