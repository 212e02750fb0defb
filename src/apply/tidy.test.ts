/** tidyState and create intents journalled by a match value (BDS: the alias) instead of a live id. */
import { describe, expect, it } from 'vitest';
import type { Intent } from '../model/state.js';
import type { LiveKey } from '../model/live.js';
import { tidyState } from './tidy.js';
import { daysAgo, record, state } from '../../test/helpers/plan-fixtures.js';

const CLUSTER = 'ocid1.bigdataservice.oc1.iad.c1';
const scope = { provider: 'oci', kind: 'oci.bds_api_key', owner: CLUSTER };
const intent = (alias: string): Intent => ({ id: `i-${alias}`, operation: 'create', name: alias, ...scope, match: { attribute: 'alias', value: alias }, startedAt: daysAgo(0) });
const bdsKey = (id: string, alias: string): LiveKey => ({ ...scope, id, status: 'active', attributes: { cluster: CLUSTER, alias } });

describe('tidyState with alias-journalled creates', () => {
  it('keeps an intent while an unclaimed key carries its alias, and drops it otherwise', () => {
    const s = state([record('claimed', 'k2', { ...scope, owner: CLUSTER })], [intent('live'), intent('gone'), intent('claimed')]);
    const tidy = tidyState(s, { scopes: [scope], keys: [bdsKey('k1', 'live'), bdsKey('k2', 'claimed')] }, new Set(['live', 'gone', 'claimed']));
    expect(tidy.intents.map((i) => i.name)).toEqual(['live']);
  });

  it('keeps every such intent when the cluster was not read', () => {
    const s = state([], [intent('unknown')]);
    expect(tidyState(s, { scopes: [], keys: [] }, new Set())).toBe(s);
  });
});
