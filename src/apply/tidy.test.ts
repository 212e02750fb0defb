/** tidyState and the journal: it keeps exactly the create intents that still claim a key (state/journal.ts). */
import { describe, expect, it } from 'vitest';
import type { Intent } from '../model/state.js';
import type { LiveKey } from '../model/live.js';
import { tidyState } from './tidy.js';
import { createIntent, daysAgo, desired, live, options, record, snapshot, state } from '../../test/helpers/plan-fixtures.js';
import { plan } from '../plan/planner.js';

const CLUSTER = 'ocid1.bigdataservice.oc1.iad.c1';
const scope = { provider: 'oci', kind: 'oci.bds_api_key', owner: CLUSTER };
const intent = (alias: string): Intent => ({
  id: `i-${alias}`,
  operation: 'create',
  name: alias,
  ...scope,
  match: { attribute: 'alias', value: alias },
  startedAt: daysAgo(0),
});
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

describe('tidyState with id-journalled creates', () => {
  it('drops a create intent whose key a state record now holds (adopted with keyplan import), as the planner ignores it', () => {
    // Before the journal had one claim rule, tidy kept this intent for as long as the key
    // lived, while the planner already treated the key as the record's.
    const s = state([record('ci', 'xx')], [createIntent('ci', 'xx'), createIntent('ci', 'orphan')]);
    const listed = snapshot([live('xx'), live('orphan')]);
    expect(tidyState(s, listed, new Set(['ci'])).intents.map((i) => i.liveId)).toEqual(['orphan']);
    expect(plan([desired('ci')], listed, s, options()).changes.flatMap((c) => c.deletes.map((d) => d.id))).toEqual(['orphan']);
  });

  it('keeps a create intent whose key is being deleted, which keeps it out of the unmanaged list meanwhile', () => {
    const s = state([], [createIntent('ci', 'xx')]);
    expect(tidyState(s, snapshot([live('xx', { status: 'deleting' })]), new Set())).toBe(s);
  });

  it('drops delete intents and creates whose key is gone', () => {
    const s = state([record('ci', 'aa')], [{ ...createIntent('ci', 'aa'), id: 'd', operation: 'delete' }, createIntent('ci', 'gone')]);
    expect(tidyState(s, snapshot([live('aa')]), new Set(['ci'])).intents).toEqual([]);
  });
});

describe('tidyState with unverified rotations', () => {
  const pending = { id: 'p1', createdAt: daysAgo(1), attributes: {}, unverifiedSince: daysAgo(1), verifyError: '401' };

  it('drops a pending key that is gone, and keeps one that is live; neither shows as unmanaged', () => {
    const s = state([record('ci', 'aa', { pending })]);
    expect(tidyState(s, snapshot([live('aa')]), new Set(['ci'])).keys['ci']?.pending).toBeUndefined();
    expect(tidyState(s, snapshot([live('aa'), live('p1')]), new Set(['ci']))).toBe(s);
    expect(plan([desired('ci')], snapshot([live('aa'), live('p1')]), s, options()).unmanaged).toEqual([]);
  });
});
