/**
 * ListWorkRequests and ListWorkRequestLogs (providers/oci.md §2.1 "also present"; request
 * shapes from the oci-bds SDK's models): both answer a bare JSON array with `opc-next-page`
 * when more remains, as ListWorkRequestErrors does. Listing never advances a work request:
 * only GetWorkRequest does (the SDK waiter polls that).
 */
import { OciHttpError } from '../errors.js';
import type { Reply } from '../handlers.js';
import { bdsDoc, requireAdmin, type BdsContext } from './context.js';
import type { WorkRequestRecord } from './document.js';
import { paginate, sortByOf, sortOrderOf } from './paging.js';
import { lookupWorkRequest, workRequestJson } from './work-requests.js';

function pageReply(page: { readonly items: readonly unknown[]; readonly nextPage?: string }): Reply {
  return {
    status: 200,
    body: JSON.stringify(page.items),
    ...(page.nextPage === undefined ? {} : { headers: { 'opc-next-page': page.nextPage } }),
  };
}

function compareBy(sortBy: 'timeCreated' | 'displayName'): (a: Indexed, b: Indexed) => number {
  // [guess] a work request has no display name; its operation type is the closest thing.
  const key = (x: Indexed): string => (sortBy === 'displayName' ? x.wr.operationType : x.wr.timeAccepted);
  // Ties (same millisecond) keep the order the requests were accepted in.
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.seq - b.seq);
}

/** A work request and its place in acceptance order (the store keeps insertion order). */
interface Indexed {
  readonly wr: WorkRequestRecord;
  readonly seq: number;
}

/**
 * GET /workRequests?compartmentId=…[&resourceId=…]: the compartment's work requests, newest
 * first unless asked otherwise (timeCreated defaults to descending, displayName to
 * ascending, as for API keys). `resourceId` matches the cluster or the key a request is about.
 */
export function listWorkRequests(ctx: BdsContext, query: URLSearchParams): Reply {
  requireAdmin(ctx);
  const compartmentId = query.get('compartmentId');
  if (compartmentId === null || compartmentId === '') throw new OciHttpError(400, 'MissingParameter', 'Missing parameter: compartmentId.');
  const resourceId = query.get('resourceId');
  const sortBy = sortByOf(query);
  const order = sortOrderOf(query, sortBy === 'timeCreated' ? 'DESC' : 'ASC');
  const cmp = compareBy(sortBy);
  const items = Object.values(bdsDoc(ctx).workRequests)
    .map((wr, seq): Indexed => ({ wr, seq }))
    .filter(({ wr }) => wr.compartmentId === compartmentId && (resourceId === null || wr.bdsInstanceId === resourceId || wr.keyId === resourceId))
    .sort((a, b) => (order === 'ASC' ? cmp(a, b) : cmp(b, a)))
    .map(({ wr }) => wr);
  const page = paginate(items, query, `workRequests:${compartmentId}:${resourceId ?? ''}`, ctx.options.bds.defaultPageSize);
  return pageReply({ items: page.items.map(workRequestJson), ...(page.nextPage === undefined ? {} : { nextPage: page.nextPage }) });
}

/** GET /workRequests/{id}/logs: the request's log entries, oldest first unless sortOrder=DESC. */
export function listWorkRequestLogs(ctx: BdsContext, id: string, query: URLSearchParams): Reply {
  const wr = lookupWorkRequest(ctx, id);
  sortByOf(query);
  const logs = wr.logs ?? [];
  const ordered = sortOrderOf(query, 'ASC') === 'ASC' ? logs : [...logs].reverse();
  return pageReply(paginate(ordered, query, `logs:${id}`, ctx.options.bds.defaultPageSize));
}
