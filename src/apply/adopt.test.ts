/** `keyplan import`: adopting a live key into state, and the refusals. */
import { describe, expect, it } from 'vitest';
import { KeyplanError } from '../errors/errors.js';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import { accessKeyKind } from '../providers/outscale/kind.js';

const outscaleAccessKey = accessKeyKind.spec;
import { state } from '../../test/helpers/plan-fixtures.js';
import { adoptLiveKey } from './adopt.js';

const NOW = Date.parse('2025-06-01T00:00:00.000Z');
const key: DesiredKey = {
  name: 'etl',
  kind: 'outscale.access_key',
  provider: 'osc',
  owner: 'bot',
  attributes: { user_name: 'bot', expires_in: '90d', state: 'ACTIVE' },
  passphrase: { none: true },
  outputs: [{ type: 'file', path: 'x.json' }],
  dependsOn: [],
  rotation: { overlapMs: 0, requireOverlap: false },
};
const live = (id: string, over: Partial<LiveKey> = {}): LiveKey => ({
  provider: 'osc',
  kind: 'outscale.access_key',
  owner: 'bot',
  id,
  status: 'active',
  createdAt: '2025-05-01T00:00:00.000Z',
  attributes: { access_key_id: id, state: 'ACTIVE', expires_in: '90d', tag: null },
  ...over,
});

describe('adoptLiveKey', () => {
  it('records the key as current, created when the provider says, with the computed attributes', () => {
    const a = adoptLiveKey(state(), key, 'AK1', [live('AK0'), live('AK1', { marker: 'old-name', status: 'inactive' })], outscaleAccessKey, NOW);
    expect(a.state.keys['etl']).toEqual({
      name: 'etl',
      kind: 'outscale.access_key',
      provider: 'osc',
      owner: 'bot',
      retiring: [],
      current: { id: 'AK1', createdAt: '2025-05-01T00:00:00.000Z', attributes: { user_name: 'bot', expires_in: '90d', state: 'ACTIVE', access_key_id: 'AK1' } },
    });
    expect(a.notes).toEqual(['its marker names keyplan key "old-name", not etl', 'it is inactive']);
  });

  it('refuses a managed name, a managed id and an id that is not in the scope', () => {
    const adopted = adoptLiveKey(state(), key, 'AK1', [live('AK1')], outscaleAccessKey, NOW).state;
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(KeyplanError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(() => adoptLiveKey(adopted, key, 'AK1', [live('AK1')], outscaleAccessKey, NOW))).toBe('etl already manages AK1; nothing to import');
    expect(refusal(() => adoptLiveKey(adopted, key, 'AK2', [live('AK2')], outscaleAccessKey, NOW))).toBe(
      'etl already manages AK1; run "keyplan state rm etl" first to adopt AK2 in its place',
    );
    expect(refusal(() => adoptLiveKey(adopted, { ...key, name: 'other' }, 'AK1', [live('AK1')], outscaleAccessKey, NOW))).toBe('AK1 is already managed by etl');
    expect(refusal(() => adoptLiveKey(state(), key, 'AKX', [live('AK2'), live('AK1')], outscaleAccessKey, NOW))).toBe(
      'no outscale.access_key AKX among the keys of bot (provider osc); found: AK1, AK2',
    );
  });
});
