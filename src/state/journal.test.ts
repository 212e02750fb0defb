/** The journal's rules (see the header of journal.ts), one describe block per rule. */
import { describe, expect, it } from 'vitest';
import type { LiveKey, LiveSnapshot } from '../model/live.js';
import type { Intent, KeyplanState } from '../model/state.js';
import {
  claimantNames,
  claimedKeys,
  clearIntent,
  createIntent,
  deleteIntent,
  forgetClaimsOn,
  journalScopes,
  journalView,
  keepsIntent,
  recordIntent,
  settleCreate,
  type IntentSubject,
} from './journal.js';
import { USER_A, USER_B, live, record, retiring, snapshot, state } from '../../test/helpers/plan-fixtures.js';

const AT = '2025-06-01T00:00:00.000Z';
const CI: IntentSubject = { name: 'ci', kind: 'oci.api_key', provider: 'oci', owner: USER_A };
const CLUSTER = 'ocid1.bigdataservice.oc1.iad.c1';
const BDS: IntentSubject = { name: 'etl', kind: 'oci.bds_api_key', provider: 'oci', owner: CLUSTER };
const BDS_SCOPE = { provider: 'oci', kind: 'oci.bds_api_key', owner: CLUSTER };
const alias = (value: string) => ({ attribute: 'alias', value });
const byId = (id: string, liveId: string, subject = CI): Intent => createIntent(subject, id, AT, liveId);
const byAlias = (id: string, value: string, subject = BDS): Intent => createIntent(subject, id, AT, undefined, alias(value));
const bdsKey = (id: string, value: string, over: Partial<LiveKey> = {}): LiveKey => ({
  ...BDS_SCOPE,
  id,
  status: 'active',
  attributes: { alias: value },
  ...over,
});
const bdsSnapshot = (keys: readonly LiveKey[]): LiveSnapshot => ({ scopes: [BDS_SCOPE], keys });
const ids = (keys: readonly LiveKey[]): string[] => keys.map((k) => k.id);
const withIntents = (...intents: Intent[]): KeyplanState => state([], intents);

describe('rule 1: writing an intent', () => {
  it('names a create by live id when it is known beforehand, otherwise by match value', () => {
    const declared = { ...CI, attributes: { bits: 2048 } };
    expect(createIntent(declared, 'i1', AT, 'fp')).toEqual({ id: 'i1', operation: 'create', ...CI, liveId: 'fp', startedAt: AT });
    expect(createIntent(BDS, 'i2', AT, undefined, alias('etl'))).toEqual({ id: 'i2', operation: 'create', ...BDS, match: alias('etl'), startedAt: AT });
    expect(createIntent(CI, 'i3', AT)).toEqual({ id: 'i3', operation: 'create', ...CI, startedAt: AT });
  });

  it('names a delete by the live id about to be deleted', () => {
    expect(deleteIntent(CI, 'i1', 'fp', AT)).toEqual({ id: 'i1', operation: 'delete', ...CI, liveId: 'fp', startedAt: AT });
  });

  it('replaces an entry recorded again under the same id, and leaves its input alone', () => {
    const empty = withIntents();
    const one = recordIntent(empty, byId('i1', 'a'));
    const two = recordIntent(one, byId('i2', 'b'));
    const again = recordIntent(two, byId('i1', 'c'));
    expect(again.intents.map((i) => [i.id, i.liveId])).toEqual([
      ['i2', 'b'],
      ['i1', 'c'],
    ]);
    expect(empty.intents).toEqual([]);
    expect(one.intents).toHaveLength(1);
  });
});

describe('rule 2: removing an intent', () => {
  it('clears one entry by id; an unknown id changes nothing', () => {
    const s = withIntents(byId('i1', 'a'), byId('i2', 'b'));
    expect(clearIntent(s, 'i1').intents.map((i) => i.id)).toEqual(['i2']);
    expect(clearIntent(s, 'nope')).toBe(s);
  });

  it('settles a create together with the older creates its match value supersedes, in the same scope only', () => {
    const otherCluster = { ...BDS, owner: 'ocid1.bigdataservice.oc1.iad.c2' };
    const s = withIntents(
      byAlias('old', 'etl'),
      byAlias('other-alias', 'web'),
      byAlias('other-cluster', 'etl', otherCluster),
      { ...byAlias('with-id', 'etl'), liveId: 'k9' },
      { ...deleteIntent(BDS, 'a-delete', 'k1', AT) },
      byAlias('new', 'etl'),
    );
    expect(settleCreate(s, 'new').intents.map((i) => i.id)).toEqual(['other-alias', 'other-cluster', 'with-id', 'a-delete']);
  });

  it('settles a create named by id alone, and ignores an id the journal does not hold', () => {
    const s = withIntents(byId('i1', 'a'), byId('i2', 'a'));
    expect(settleCreate(s, 'i2').intents.map((i) => i.id)).toEqual(['i1']);
    expect(settleCreate(s, 'nope')).toBe(s);
  });

  it('forgets the creates that name a deleted key by id, in its scope', () => {
    const s = withIntents(byId('i1', 'xx'), byId('i2', 'xx', { ...CI, owner: USER_B }), deleteIntent(CI, 'd1', 'xx', AT), byId('i3', 'yy'));
    expect(forgetClaimsOn(s, { provider: 'oci', kind: 'oci.api_key', owner: USER_A, id: 'xx' }).intents.map((i) => i.id)).toEqual(['i2', 'd1', 'i3']);
    expect(forgetClaimsOn(s, { provider: 'oci', kind: 'oci.api_key', owner: USER_A, id: 'zz' })).toBe(s);
  });
});

describe('rule 3: which live key an intent claims', () => {
  it('a create by id claims the listed key with that id in its own scope, in any status', () => {
    const view = journalView(snapshot([live('xx', { status: 'deleting' }), live('yy', { owner: USER_B })]), state());
    expect(ids(claimedKeys(view, byId('i1', 'xx')))).toEqual(['xx']);
    expect(ids(claimedKeys(view, byId('i2', 'yy')))).toEqual([]);
    expect(ids(claimedKeys(view, byId('i3', 'gone')))).toEqual([]);
  });

  it('never claims a key a state record holds as its current or retiring key', () => {
    const s = state([record('ci', 'aa', { retiring: [retiring('old', 1)] })]);
    const view = journalView(snapshot([live('aa'), live('old')]), s);
    expect(ids(claimedKeys(view, byId('i1', 'aa')))).toEqual([]);
    expect(ids(claimedKeys(view, byId('i2', 'old')))).toEqual([]);
  });

  it('a create by match claims every unrecorded key of its scope that carries the value, sorted by id', () => {
    const s = state([record('kept', 'k0', { ...BDS_SCOPE })]);
    const view = journalView(bdsSnapshot([bdsKey('k2', 'etl'), bdsKey('k0', 'etl'), bdsKey('k1', 'etl'), bdsKey('k3', 'web')]), s);
    expect(ids(claimedKeys(view, byAlias('i1', 'etl')))).toEqual(['k1', 'k2']);
  });

  it('prefers the live id when an intent names both', () => {
    const view = journalView(bdsSnapshot([bdsKey('k1', 'etl'), bdsKey('k2', 'etl')]), state());
    expect(ids(claimedKeys(view, { ...byAlias('i1', 'etl'), liveId: 'k2' }))).toEqual(['k2']);
  });

  it('a delete intent, or a create naming neither id nor match, claims nothing', () => {
    const view = journalView(snapshot([live('xx')]), state());
    expect(claimedKeys(view, deleteIntent(CI, 'd1', 'xx', AT))).toEqual([]);
    expect(claimedKeys(view, createIntent(CI, 'i1', AT))).toEqual([]);
  });

  it('names the intents that claim a key', () => {
    const intents = [byId('i1', 'xx'), byId('i2', 'gone', { ...CI, name: 'lost' }), deleteIntent({ ...CI, name: 'deleting' }, 'd1', 'xx', AT)];
    expect([...claimantNames(journalView(snapshot([live('xx')]), state()), intents)]).toEqual(['ci']);
  });

  it('tolerates a malformed snapshot and state, as the planner must', () => {
    const view = journalView({} as LiveSnapshot, {} as KeyplanState);
    expect(claimedKeys(view, byId('i1', 'xx'))).toEqual([]);
    expect(claimedKeys(view, { ...byAlias('i2', 'etl'), match: {} } as unknown as Intent)).toEqual([]);
  });
});

describe('rule 4: what an intent means on the next run', () => {
  it('refresh reads the scope of every intent, create or delete, once', () => {
    const s = withIntents(byId('i1', 'a'), byId('i2', 'b'), deleteIntent({ ...CI, owner: USER_B }, 'd1', 'c', AT), byAlias('i3', 'etl'));
    expect(journalScopes(s)).toEqual([
      { provider: 'oci', kind: 'oci.api_key', owner: USER_A },
      { provider: 'oci', kind: 'oci.api_key', owner: USER_B },
      BDS_SCOPE,
    ]);
  });

  it('tidy keeps a create while it claims a key, and drops it once it claims nothing in a read scope', () => {
    const view = journalView(snapshot([live('xx'), live('aa')]), state([record('ci', 'aa')]));
    expect(keepsIntent(view, byId('i1', 'xx'))).toBe(true);
    expect(keepsIntent(view, byId('i2', 'gone'))).toBe(false);
    expect(keepsIntent(view, byId('i3', 'aa'))).toBe(false);
  });

  it('tidy keeps a create whose scope was not read: there is no proof either way', () => {
    const view = journalView(snapshot([], []), state());
    expect(keepsIntent(view, byId('i1', 'xx'))).toBe(true);
    expect(keepsIntent(view, byAlias('i2', 'etl'))).toBe(true);
  });

  it('tidy drops every delete intent, and every create that can claim nothing, read or not', () => {
    const read = journalView(snapshot([live('xx')]), state());
    const unread = journalView(snapshot([], []), state());
    for (const view of [read, unread]) {
      expect(keepsIntent(view, deleteIntent(CI, 'd1', 'xx', AT))).toBe(false);
      expect(keepsIntent(view, createIntent(CI, 'i1', AT))).toBe(false);
    }
  });
});
