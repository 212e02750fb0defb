/**
 * GetBdsInstance, ListWorkRequests and ListWorkRequestLogs of the BDS emulator, through the
 * official oci-bds client: a registered cluster is ACTIVE with its compartment, an unknown
 * one is 404; work requests list per compartment (filtered by resource, newest first,
 * paginated with `opc-next-page`) without being advanced; a request's logs tell its story.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as bds from 'oci-bds';
import { startOciEmulator, type OciEmulator } from '../index.js';
import { sdkError } from '../testing/sdk.js';
import { fastWaiters, testBdsClient } from './test-client.js';

const freshUser = (): string => `ocid1.user.oc1..aaaaaaaa${randomBytes(20).toString('hex')}`;
const freshPassphrase = (): string => randomBytes(18).toString('base64');

describe('BDS emulator: clusters and work request listings through the official SDK', () => {
  let emu: OciEmulator;
  let client: bds.BdsClient;
  let waiters: bds.BdsWaiter;

  beforeAll(async () => {
    emu = await startOciEmulator({ autoCreateUsers: true, bds: { defaultPageSize: 2, workRequestPolls: 1 } });
    client = testBdsClient(emu.admin, emu.url);
    waiters = fastWaiters(client);
  });
  afterAll(async () => {
    client.close();
    await emu.close();
  });

  async function createKey(cluster: string, alias: string): Promise<bds.models.WorkRequest> {
    const res = await client.createBdsApiKey({
      bdsInstanceId: cluster,
      createBdsApiKeyDetails: { userId: freshUser(), passphrase: freshPassphrase(), keyAlias: alias },
    });
    return (await waiters.forWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest;
  }

  it('GetBdsInstance shows a registered cluster ACTIVE in its compartment, and 404s an unknown one', async () => {
    const compartment = `ocid1.compartment.oc1..${randomBytes(8).toString('hex')}`;
    const cluster = emu.addCluster(undefined, compartment);
    const { bdsInstance } = await client.getBdsInstance({ bdsInstanceId: cluster });
    expect(bdsInstance).toMatchObject({ id: cluster, compartmentId: compartment, lifecycleState: 'ACTIVE', nodes: [], isSecure: false });
    expect(bdsInstance.displayName).toBe(`cluster-${cluster.slice(-8)}`);
    expect(String(bdsInstance.timeCreated)).toMatch(/Z$/);

    const missing = await sdkError(client.getBdsInstance({ bdsInstanceId: `${cluster}x` }));
    expect({ status: missing.statusCode, code: missing.serviceCode }).toEqual({ status: 404, code: 'NotAuthorizedOrNotFound' });
  });

  it('lists a compartment’s work requests newest first, by resource, page by page, without advancing them', async () => {
    const compartment = `ocid1.compartment.oc1..${randomBytes(8).toString('hex')}`;
    const a = emu.addCluster(undefined, compartment);
    const b = emu.addCluster(undefined, compartment);
    const done = [await createKey(a, 'one'), await createKey(a, 'two'), await createKey(b, 'three')];
    // One more, still ACCEPTED: listing must not move it on (only GetWorkRequest does).
    const pending = (
      await client.createBdsApiKey({ bdsInstanceId: b, createBdsApiKeyDetails: { userId: freshUser(), passphrase: freshPassphrase(), keyAlias: 'four' } })
    ).opcWorkRequestId;

    const first = await client.listWorkRequests({ compartmentId: compartment });
    expect(first.items.map((w) => w.id)).toEqual([pending, done[2]?.id]);
    expect(first.opcNextPage).toBeTruthy();
    const second = await client.listWorkRequests({ compartmentId: compartment, page: first.opcNextPage });
    expect(second.items.map((w) => w.id)).toEqual([done[1]?.id, done[0]?.id]);
    expect(second.opcNextPage).toBeUndefined();
    expect(first.items[0]).toMatchObject({ status: 'ACCEPTED', operationType: 'CREATE_API_KEY', compartmentId: compartment });

    const all = await client.listWorkRequests({ compartmentId: compartment, resourceId: a, sortOrder: 'ASC' as bds.models.SortOrders, limit: 10 });
    expect(all.items.map((w) => w.id)).toEqual([done[0]?.id, done[1]?.id]);
    expect((await client.listWorkRequests({ compartmentId: `${compartment}x` })).items).toEqual([]);
    expect((await client.getWorkRequest({ workRequestId: pending })).workRequest.status).toBe('IN_PROGRESS');
  });

  it('ListWorkRequestLogs tells a work request’s story, oldest first unless sortOrder=DESC', async () => {
    const cluster = emu.addCluster();
    const wr = await createKey(cluster, 'logged');
    const logs = await client.listWorkRequestLogs({ workRequestId: wr.id, limit: 10 });
    expect(logs.items.map((l) => l.message)).toEqual([
      'Creating the API key: work request accepted.',
      'Creating the API key: in progress.',
      'Creating the API key succeeded.',
    ]);
    expect(String(logs.items[0]?.timestamp)).toMatch(/Z$/);
    const newest = await client.listWorkRequestLogs({ workRequestId: wr.id, sortOrder: 'DESC' as bds.models.SortOrders, limit: 1 });
    expect(newest.items.map((l) => l.message)).toEqual(['Creating the API key succeeded.']);
    expect(newest.opcNextPage).toBeTruthy();
    const gone = await sdkError(client.listWorkRequestLogs({ workRequestId: `${wr.id}x` }));
    expect(gone.statusCode).toBe(404);
  });
});
