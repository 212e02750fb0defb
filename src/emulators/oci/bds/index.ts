/**
 * src/emulators/oci/bds: the Big Data Service API key routes (`/20190531/…`, providers/oci.md
 * §2 and §7) served by the OCI emulator's own server, store and signature check: create,
 * list (paginated), get, delete and the Object Storage connection test, all asynchronous
 * through work requests with GetWorkRequest / ListWorkRequestErrors / ListWorkRequestLogs,
 * and ListWorkRequests and GetBdsInstance, which the official OCI CLI calls too. A BDS key occupies
 * one of its user's IAM key slots and shows in ListApiKeys (switchable, §2.4). The service
 * generates each key pair itself; the emulator keeps the public half and a salted hash of
 * the passphrase, never the passphrase or the private key.
 *
 * Files: options, document (persisted shape), ids, routes, context (authorization and
 * lookups), paging, passphrase, create, keys (list/get/delete), connection-test,
 * work-requests (lifecycle, GET handlers), work-request-lists (ListWorkRequests, logs),
 * instances (GetBdsInstance), complete (what a work request does);
 * test-client builds the official BdsClient the tests use.
 */
import type { KeyStore } from '../store.js';
import type { Reply } from '../handlers.js';
import type { BdsContext } from './context.js';
import { createBdsApiKey } from './create.js';
import { testObjectStorageConnection } from './connection-test.js';
import { mintRegionalOcid, isClusterOcid } from './ids.js';
import { deleteBdsApiKey, getBdsApiKey, listBdsApiKeys } from './keys.js';
import type { BdsRoute } from './routes.js';
import { getWorkRequest, listWorkRequestErrors } from './work-requests.js';
import { listWorkRequestLogs, listWorkRequests } from './work-request-lists.js';
import { getBdsInstance } from './instances.js';

export type { BdsEmulatorOptions, ResolvedBdsOptions } from './options.js';
export { resolveBdsOptions } from './options.js';
export type { BdsContext } from './context.js';
export { isBdsPath, matchBdsRoute, BDS_API_PREFIX, type BdsRoute } from './routes.js';
export { KEY_ALIAS_PATTERN } from './create.js';
export { CLUSTER_OCID_PREFIX } from './ids.js';

/** A BDS key as `listBdsKeys` shows it to tests (from the store, no network). */
export interface EmulatedBdsKeyInfo {
  readonly id: string;
  readonly keyAlias: string;
  readonly userId: string;
  readonly fingerprint: string;
  readonly lifecycleState: string;
}

/** Runs one authenticated BDS operation. */
export function serveBds(ctx: BdsContext, route: BdsRoute): Reply | Promise<Reply> {
  switch (route.op) {
    case 'ListBdsApiKeys':
      return listBdsApiKeys(ctx, route.bdsId, route.query);
    case 'CreateBdsApiKey':
      return createBdsApiKey(ctx, route.bdsId);
    case 'GetBdsApiKey':
      return getBdsApiKey(ctx, route.bdsId, route.keyId);
    case 'DeleteBdsApiKey':
      return deleteBdsApiKey(ctx, route.bdsId, route.keyId);
    case 'TestBdsObjectStorageConnection':
      return testObjectStorageConnection(ctx, route.bdsId, route.keyId);
    case 'GetBdsInstance':
      return getBdsInstance(ctx, route.bdsId);
    case 'GetWorkRequest':
      return getWorkRequest(ctx, route.workRequestId);
    case 'ListWorkRequests':
      return listWorkRequests(ctx, route.query);
    case 'ListWorkRequestLogs':
      return listWorkRequestLogs(ctx, route.workRequestId, route.query);
    case 'ListWorkRequestErrors':
      return listWorkRequestErrors(ctx, route.workRequestId, route.query);
  }
}

/** Registers a cluster (a new OCID unless given) in the tenancy's root compartment unless told otherwise; commits. */
export function addBdsCluster(store: KeyStore, clusterId?: string, compartmentId?: string): string {
  store.sync();
  const id = clusterId ?? mintRegionalOcid('bigdataservice', store.region);
  if (!isClusterOcid(id)) throw new TypeError(`Expected \`clusterId\` to be a BDS cluster OCID (ocid1.bigdataservice.…), got \`${id}\``);
  const clusters = store.bds.clusters;
  if (clusters[id] === undefined) {
    clusters[id] = { compartmentId: compartmentId ?? store.tenancy, timeCreated: new Date().toISOString(), keys: [] };
    store.commit();
  }
  return id;
}

/** The cluster's keys straight from the store, oldest first (empty for unknown clusters). */
export function listStoredBdsKeys(store: KeyStore, clusterId: string): readonly EmulatedBdsKeyInfo[] {
  store.sync();
  return (store.bds.clusters[clusterId]?.keys ?? []).map((k) => ({
    id: k.id,
    keyAlias: k.keyAlias,
    userId: k.userId,
    fingerprint: k.fingerprint,
    lifecycleState: k.lifecycleState,
  }));
}
