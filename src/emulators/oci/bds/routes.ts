/**
 * Routing of the BDS paths the emulator serves (providers/oci.md §2.1: the API key routes,
 * their work requests, and GetBdsInstance), under the version prefix the SDK appends to
 * the endpoint. Path segments are percent-decoded; the query is parsed as sent (the SDK
 * does not encode query values, so tokens must be URL-safe).
 */
import { OciHttpError } from '../errors.js';

/** Version prefix of the Big Data Service API. */
export const BDS_API_PREFIX = '/20190531';

/** A matched BDS operation. */
export type BdsRoute =
  | { readonly op: 'ListBdsApiKeys' | 'CreateBdsApiKey'; readonly bdsId: string; readonly query: URLSearchParams }
  | { readonly op: 'GetBdsApiKey' | 'DeleteBdsApiKey' | 'TestBdsObjectStorageConnection'; readonly bdsId: string; readonly keyId: string }
  | { readonly op: 'GetBdsInstance'; readonly bdsId: string }
  | { readonly op: 'GetWorkRequest'; readonly workRequestId: string }
  | { readonly op: 'ListWorkRequests'; readonly query: URLSearchParams }
  | { readonly op: 'ListWorkRequestErrors' | 'ListWorkRequestLogs'; readonly workRequestId: string; readonly query: URLSearchParams };

const notFound = (): OciHttpError => new OciHttpError(404, 'NotFound', 'There is no operation that corresponds to the given path and method.');

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new OciHttpError(400, 'CannotParseRequest', 'The request path is not valid percent-encoding.');
  }
}

function only(method: string, allowed: string): void {
  if (method !== allowed) throw new OciHttpError(405, 'MethodNotAllowed', `Method ${method} is not allowed on this resource.`);
}

/** True when the raw URL is under the BDS version prefix. */
export function isBdsPath(rawUrl: string): boolean {
  const path = rawUrl.split('?', 1)[0] ?? '';
  return path === BDS_API_PREFIX || path.startsWith(`${BDS_API_PREFIX}/`);
}

/** Matches a BDS path, or throws 404 NotFound / 405 MethodNotAllowed. */
export function matchBdsRoute(method: string, rawUrl: string): BdsRoute {
  const [path = '', queryText = ''] = rawUrl.split(/\?(.*)/s, 2);
  const query = new URLSearchParams(queryText);
  const parts = path.slice(BDS_API_PREFIX.length + 1).split('/');
  if (parts.some((p) => p.length === 0)) throw notFound();
  const [collection, idSeg, sub, keySeg, actions, action, ...extra] = parts;
  if (collection === 'workRequests' && idSeg === undefined) {
    only(method, 'GET');
    return { op: 'ListWorkRequests', query };
  }
  if (idSeg === undefined || extra.length > 0) throw notFound();
  const id = decode(idSeg);

  if (collection === 'workRequests') {
    if (sub === undefined) {
      only(method, 'GET');
      return { op: 'GetWorkRequest', workRequestId: id };
    }
    if ((sub !== 'errors' && sub !== 'logs') || keySeg !== undefined) throw notFound();
    only(method, 'GET');
    return { op: sub === 'errors' ? 'ListWorkRequestErrors' : 'ListWorkRequestLogs', workRequestId: id, query };
  }
  if (collection === 'bdsInstances' && sub === undefined) {
    // Only the GET: creating, changing or deleting clusters is outside what keyplan needs.
    only(method, 'GET');
    return { op: 'GetBdsInstance', bdsId: id };
  }
  if (collection !== 'bdsInstances' || sub !== 'apiKeys') throw notFound();
  if (keySeg === undefined) {
    if (method === 'GET') return { op: 'ListBdsApiKeys', bdsId: id, query };
    only(method, 'POST');
    return { op: 'CreateBdsApiKey', bdsId: id, query };
  }
  const keyId = decode(keySeg);
  if (actions === undefined) {
    if (method === 'GET') return { op: 'GetBdsApiKey', bdsId: id, keyId };
    only(method, 'DELETE');
    return { op: 'DeleteBdsApiKey', bdsId: id, keyId };
  }
  if (actions !== 'actions' || action !== 'testObjectStorageConnection') throw notFound();
  only(method, 'POST');
  return { op: 'TestBdsObjectStorageConnection', bdsId: id, keyId };
}
