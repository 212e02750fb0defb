/** Refresh reads the IAM scope of each BDS key's user too, and hands adapters what state recorded. */
import { describe, expect, it } from 'vitest';
import type { ListRequest, ProviderAdapter } from '../providers/contract.js';
import { silentReporter } from '../report/reporter.js';
import { refresh, scopesToRead } from './refresh.js';
import { desired, record, state, TEST_KINDS, USER_A, USER_B } from '../../test/helpers/plan-fixtures.js';

const CLUSTER = 'ocid1.bigdataservice.oc1.iad.c1';
const bds = desired('etl', { kind: 'oci.bds_api_key', owner: CLUSTER, attributes: { cluster: CLUSTER, alias: 'etl', user: USER_B } });

describe('refresh', () => {
  it("adds the IAM scope of a BDS key's user, so the quota sees all of that user's keys", () => {
    expect(scopesToRead([desired('a'), bds], state(), TEST_KINDS)).toEqual([
      { provider: 'oci', kind: 'oci.api_key', owner: USER_A },
      { provider: 'oci', kind: 'oci.api_key', owner: USER_B },
      { provider: 'oci', kind: 'oci.bds_api_key', owner: CLUSTER },
    ]);
  });

  it('passes the ids state records for a scope with their recorded attributes', async () => {
    const calls: ListRequest[] = [];
    const adapter: ProviderAdapter = {
      contractVersion: 1,
      configure: async () => undefined,
      list: async (req) => {
        calls.push(req);
        return { keys: [] };
      },
      create: async () => Promise.reject(new Error('not used')),
      delete: async () => undefined,
      close: async () => undefined,
    };
    const attributes = { cluster: CLUSTER, alias: 'etl', user: USER_B, fingerprint: 'aa:bb' };
    const rec = record('etl', 'ocid1.bdsapikey.k1', {
      kind: 'oci.bds_api_key',
      owner: CLUSTER,
      current: { id: 'ocid1.bdsapikey.k1', createdAt: 't', attributes },
    });
    await refresh({ desired: [bds], state: state([rec]), adapters: new Map([['oci', adapter]]), kinds: TEST_KINDS, reporter: silentReporter });
    const bdsCall = calls.find((c) => c.kind === 'oci.bds_api_key');
    expect(bdsCall).toMatchObject({ owner: CLUSTER, known: ['ocid1.bdsapikey.k1'], knownAttributes: { 'ocid1.bdsapikey.k1': attributes } });
    expect(calls.map((c) => `${c.kind} ${c.owner}`).sort()).toEqual([`oci.api_key ${USER_B}`, `oci.bds_api_key ${CLUSTER}`]);
  });
});
