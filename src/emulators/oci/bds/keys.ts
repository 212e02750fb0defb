/**
 * ListBdsApiKeys, GetBdsApiKey and DeleteBdsApiKey (providers/oci.md §2.1, §7.13). The
 * list summary carries only id, alias, state, region and creation time; user, fingerprint,
 * tenancy and pem path come only from GET. Nothing here ever shows a passphrase.
 */
import { randomBytes } from 'node:crypto';
import { OciHttpError } from '../errors.js';
import type { Reply } from '../handlers.js';
import { headerOf, lookupCluster, lookupKey, type BdsContext } from './context.js';
import type { BdsKeyRecord } from './document.js';
import { paginate, sortByOf, sortOrderOf } from './paging.js';
import { acceptWorkRequest } from './work-requests.js';

/** The wire form of a BdsApiKeySummary. */
export function bdsKeySummaryJson(key: BdsKeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    keyAlias: key.keyAlias,
    lifecycleState: key.lifecycleState,
    defaultRegion: key.defaultRegion,
    timeCreated: key.timeCreated,
  };
}

/** The wire form of a BdsApiKey. */
export function bdsKeyJson(tenancy: string, key: BdsKeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    userId: key.userId,
    keyAlias: key.keyAlias,
    defaultRegion: key.defaultRegion,
    tenantId: tenancy,
    fingerprint: key.fingerprint,
    pemfilepath: key.pemfilepath,
    timeCreated: key.timeCreated,
    lifecycleState: key.lifecycleState,
    ...(key.domainOcid === undefined ? {} : { domainOcid: key.domainOcid }),
  };
}

function compareBy(sortBy: 'timeCreated' | 'displayName'): (a: BdsKeyRecord, b: BdsKeyRecord) => number {
  if (sortBy === 'displayName') return (a, b) => (a.keyAlias < b.keyAlias ? -1 : a.keyAlias > b.keyAlias ? 1 : a.seq - b.seq);
  return (a, b) => (a.timeCreated < b.timeCreated ? -1 : a.timeCreated > b.timeCreated ? 1 : a.seq - b.seq);
}

/** GET …/apiKeys: filtered, sorted (timeCreated DESC unless asked otherwise) and paginated. */
export function listBdsApiKeys(ctx: BdsContext, bdsId: string, query: URLSearchParams): Reply {
  const cluster = lookupCluster(ctx, bdsId);
  const sortBy = sortByOf(query);
  // providers/oci.md §2.1: timeCreated defaults to descending, displayName to ascending.
  const order = sortOrderOf(query, sortBy === 'timeCreated' ? 'DESC' : 'ASC');
  const state = query.get('lifecycleState');
  const user = query.get('userId');
  const alias = query.get('displayName');
  const cmp = compareBy(sortBy);
  const keys = (cluster?.keys ?? [])
    .filter((k) => (state === null || k.lifecycleState === state) && (user === null || k.userId === user) && (alias === null || k.keyAlias === alias))
    .sort((a, b) => (order === 'ASC' ? cmp(a, b) : cmp(b, a)));
  const page = paginate(keys, query, `keys:${bdsId}`, ctx.options.bds.defaultPageSize);
  return {
    status: 200,
    body: JSON.stringify(page.items.map(bdsKeySummaryJson)),
    ...(page.nextPage === undefined ? {} : { headers: { 'opc-next-page': page.nextPage } }),
  };
}

/** GET …/apiKeys/{id}: the full key with its etag. */
export function getBdsApiKey(ctx: BdsContext, bdsId: string, keyId: string): Reply {
  const key = lookupKey(ctx, bdsId, keyId);
  return { status: 200, body: JSON.stringify(bdsKeyJson(ctx.store.tenancy, key)), etag: key.etag };
}

/** DELETE …/apiKeys/{id}: 202 and a DELETE_API_KEY work request; honours `if-match`. */
export function deleteBdsApiKey(ctx: BdsContext, bdsId: string, keyId: string): Reply {
  const key = lookupKey(ctx, bdsId, keyId);
  const ifMatch = headerOf(ctx, 'if-match');
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== key.etag) {
    // [guess] providers/oci.md §7.11: 412 on an etag mismatch, as in Identity.
    throw new OciHttpError(412, 'NoEtagMatch', 'The if-match header does not match the resource\u2019s etag.');
  }
  if (key.lifecycleState !== 'ACTIVE') {
    // A key still being created or already being deleted has a work request running.
    throw new OciHttpError(409, 'Conflict', `The API key is ${key.lifecycleState}; only an ACTIVE key can be deleted.`);
  }
  key.lifecycleState = 'DELETING';
  key.etag = randomBytes(16).toString('hex');
  const compartmentId = lookupCluster(ctx, bdsId)?.compartmentId ?? ctx.store.tenancy;
  const wr = acceptWorkRequest(ctx, { operationType: 'DELETE_API_KEY', bdsInstanceId: bdsId, keyId, compartmentId });
  ctx.store.commit();
  return { status: 202, headers: { 'opc-work-request-id': wr.id } };
}
