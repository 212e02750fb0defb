/**
 * The plan-time cluster check on its own, with a stand-in client: a 404 from GetBdsInstance
 * is "not found" only when the cluster's keys cannot be listed either (a policy may allow the
 * keys but not BDS_INSTANCE_INSPECT); DELETED clusters cannot hold keys; each cluster is read
 * once; other failures stay provider errors and are asked again next time.
 */
import type * as bds from 'oci-bds';
import { describe, expect, it } from 'vitest';
import { OwnerNotFoundError, ProviderError } from '../../../errors/errors.js';
import { ClusterCheck } from './cluster-check.js';

const CLUSTER = 'ocid1.bigdataservice.oc1.iad.unit';
const answer = (statusCode: number, serviceCode: string) => ({ statusCode, serviceCode, message: 'm', opcRequestId: 'rid' });

/** A client whose two calls answer as told, counting calls. */
function client(get: () => unknown, list: () => unknown): { client: bds.BdsClient; calls: string[] } {
  const calls: string[] = [];
  const run = async (name: string, fn: () => unknown): Promise<unknown> => {
    calls.push(name);
    const r = fn();
    if (r instanceof Object && 'statusCode' in r) throw r;
    return r;
  };
  const stub = { getBdsInstance: () => run('get', get), listBdsApiKeys: () => run('list', list) };
  return { client: stub as unknown as bds.BdsClient, calls };
}

describe('ClusterCheck', () => {
  it('accepts an ACTIVE cluster with one GetBdsInstance, remembered for the adapter’s life', async () => {
    const c = client(
      () => ({ bdsInstance: { lifecycleState: 'ACTIVE' } }),
      () => ({ items: [] }),
    );
    const check = new ClusterCheck(c.client, 'oci');
    await check.require(CLUSTER);
    await check.require(CLUSTER);
    expect(c.calls).toEqual(['get']);
  });

  it('accepts a cluster it may not inspect but whose keys it can list', async () => {
    const c = client(
      () => answer(404, 'NotAuthorizedOrNotFound'),
      () => ({ items: [] }),
    );
    await new ClusterCheck(c.client, 'oci').require(CLUSTER);
    expect(c.calls).toEqual(['get', 'list']);
  });

  it('refuses a cluster neither call finds, and a DELETED one, with an OwnerNotFoundError on `cluster`', async () => {
    const missing = client(
      () => answer(404, 'NotAuthorizedOrNotFound'),
      () => answer(404, 'NotAuthorizedOrNotFound'),
    );
    const err = await new ClusterCheck(missing.client, 'oci').require(CLUSTER).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OwnerNotFoundError);
    expect(err).toMatchObject({ ownerField: 'cluster', owner: CLUSTER, kind: 'oci.bds_api_key', code: 'KP_OCI_E0032', requestId: 'rid' });
    const deleted = client(
      () => ({ bdsInstance: { lifecycleState: 'DELETED' } }),
      () => ({ items: [] }),
    );
    await expect(new ClusterCheck(deleted.client, 'oci').require(CLUSTER)).rejects.toThrow(`BDS cluster ${CLUSTER} cannot hold keys: the cluster is DELETED`);
  });

  it('reports other failures as provider errors and asks again on the next call', async () => {
    let status = 500;
    const c = client(
      () => (status === 500 ? answer(500, 'InternalServerError') : { bdsInstance: { lifecycleState: 'ACTIVE' } }),
      () => ({ items: [] }),
    );
    const check = new ClusterCheck(c.client, 'oci');
    const err = await check.require(CLUSTER).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).not.toBeInstanceOf(OwnerNotFoundError);
    status = 200;
    await check.require(CLUSTER);
    expect(c.calls).toEqual(['get', 'get']);
  });
});
