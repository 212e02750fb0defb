/** The pure parts of the BDS half: lifecycle mapping, summaries to LiveKeys, the key id in a work request. */
import type * as bds from 'oci-bds';
import { describe, expect, it } from 'vitest';
import { bdsStatusOf, recordedDetails, toBdsLiveKey } from './bds-key.js';
import { createdKeyId } from './work-request.js';

const CLUSTER = 'ocid1.bigdataservice.oc1.iad.c1';

function summary(over: Partial<bds.models.BdsApiKeySummary> = {}): bds.models.BdsApiKeySummary {
  // The SDK hands times over as the wire string although it types them as Date.
  return {
    id: 'ocid1.bdsapikey.oc1.iad.k1',
    keyAlias: 'etl',
    lifecycleState: 'ACTIVE',
    defaultRegion: 'us-ashburn-1',
    timeCreated: '2025-05-01T10:00:00.000Z' as unknown as Date,
    ...over,
  };
}

function workRequest(resources: Partial<bds.models.WorkRequestResource>[]): bds.models.WorkRequest {
  return { id: 'wr1', status: 'SUCCEEDED', resources: resources as bds.models.WorkRequestResource[] } as bds.models.WorkRequest;
}

describe('BDS keys as LiveKeys', () => {
  it('maps every lifecycle state; DELETED is gone, unknown values are inactive', () => {
    expect(['CREATING', 'ACTIVE', 'DELETING', 'DELETED', 'FAILED', 'SOMETHING_NEW'].map(bdsStatusOf)).toEqual([
      'creating',
      'active',
      'deleting',
      undefined,
      'failed',
      'inactive',
    ]);
  });

  it('lists a key under its cluster with alias, user, lowercase fingerprint and region', () => {
    const live = toBdsLiveKey(summary(), { user: 'ocid1.user.oc1..u', fingerprint: 'AB:CD' }, { provider: 'oci', cluster: CLUSTER });
    expect(live).toEqual({
      provider: 'oci',
      kind: 'oci.bds_api_key',
      owner: CLUSTER,
      id: 'ocid1.bdsapikey.oc1.iad.k1',
      status: 'active',
      createdAt: '2025-05-01T10:00:00.000Z',
      attributes: { cluster: CLUSTER, alias: 'etl', user: 'ocid1.user.oc1..u', fingerprint: 'ab:cd', default_region: 'us-ashburn-1' },
    });
    expect(toBdsLiveKey(summary({ lifecycleState: 'DELETED' }), {}, { provider: 'oci', cluster: CLUSTER })).toBeUndefined();
    expect(toBdsLiveKey(summary(), {}, { provider: 'oci', cluster: CLUSTER })?.attributes).toEqual({
      cluster: CLUSTER,
      alias: 'etl',
      default_region: 'us-ashburn-1',
    });
  });

  it('reuses recorded details only when state holds both user and fingerprint', () => {
    expect(recordedDetails({ user: 'u', fingerprint: 'f', alias: 'a' })).toEqual({ user: 'u', fingerprint: 'f' });
    expect(recordedDetails({ user: 'u' })).toBeUndefined();
    expect(recordedDetails(undefined)).toBeUndefined();
  });
});

describe('createdKeyId', () => {
  it('parses the entityUri of the first created bds resource, as the Terraform provider does', () => {
    const wr = workRequest([
      { entityType: 'workrequest', actionType: 'IN_PROGRESS' as never, entityUri: '/20190531/workRequests/wr1' },
      {
        entityType: 'BdsApiKey',
        actionType: 'CREATED' as never,
        identifier: 'ignored',
        entityUri: `/20190531/bdsInstances/${CLUSTER}/apiKeys/ocid1.bdsapikey.oc1.iad.new`,
      },
    ]);
    expect(createdKeyId(wr, CLUSTER)).toBe('ocid1.bdsapikey.oc1.iad.new');
  });

  it('is undefined without a usable resource, or for another cluster', () => {
    expect(createdKeyId(workRequest([]), CLUSTER)).toBeUndefined();
    expect(
      createdKeyId(workRequest([{ entityType: 'bds', actionType: 'DELETED' as never, entityUri: `/20190531/bdsInstances/${CLUSTER}/apiKeys/k` }]), CLUSTER),
    ).toBeUndefined();
    expect(
      createdKeyId(workRequest([{ entityType: 'bds', actionType: 'CREATED' as never, entityUri: '/20190531/bdsInstances/other/apiKeys/k' }]), CLUSTER),
    ).toBeUndefined();
    expect(createdKeyId(workRequest([{ entityType: 'bds', actionType: 'CREATED' as never }]), CLUSTER)).toBeUndefined();
  });
});
