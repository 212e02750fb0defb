/**
 * Routing of the Heimdall paths the emulator serves, all under `/heimdall/api/v1`:
 * `POST authorize`, `GET users`, `GET users/{id}`, `GET|POST users/{id}/tokens`, and the
 * token delete, whose route no source shows (a guess, chosen by the `deleteRoute` option).
 */
import { HeimdallHttpError } from './errors.js';
import type { DeleteRouteStyle } from './options.js';

/** Path prefix of Heimdall's API. */
export const HEIMDALL_PREFIX = '/heimdall/api/v1';

/** A matched operation. */
export type Route =
  | { readonly op: 'authorize' }
  | { readonly op: 'listUsers' }
  | { readonly op: 'getUser'; readonly userId: string }
  | { readonly op: 'listTokens'; readonly userId: string }
  | { readonly op: 'createToken'; readonly userId: string }
  | { readonly op: 'deleteToken'; readonly userId: string; readonly name: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HeimdallHttpError(400, 'the request path is not valid percent-encoding');
  }
}

function notFound(): HeimdallHttpError {
  return new HeimdallHttpError(404, 'not found');
}

function methodNotAllowed(method: string): HeimdallHttpError {
  return new HeimdallHttpError(405, `method ${method} not allowed`);
}

/** Matches method and raw URL to an operation, or throws 404 / 405. */
export function matchRoute(method: string, rawUrl: string, deleteStyle: DeleteRouteStyle): Route {
  const url = new URL(rawUrl, 'http://emulator.invalid');
  if (!url.pathname.startsWith(`${HEIMDALL_PREFIX}/`)) throw notFound();
  const parts = url.pathname.slice(HEIMDALL_PREFIX.length + 1).split('/');
  const [first, userSeg, tokens, nameSeg, ...extra] = parts;
  if (first === 'authorize' && parts.length === 1) {
    if (method === 'POST') return { op: 'authorize' };
    throw methodNotAllowed(method);
  }
  if (first !== 'users' || extra.length > 0) throw notFound();
  if (userSeg === undefined || userSeg === '') {
    if (parts.length > 2) throw notFound();
    if (method === 'GET') return { op: 'listUsers' };
    throw methodNotAllowed(method);
  }
  const userId = decode(userSeg);
  if (tokens === undefined) {
    if (method === 'GET') return { op: 'getUser', userId };
    throw methodNotAllowed(method);
  }
  if (tokens !== 'tokens') throw notFound();
  if (nameSeg === undefined || nameSeg === '') {
    if (method === 'GET') return { op: 'listTokens', userId };
    if (method === 'POST') return { op: 'createToken', userId };
    const name = url.searchParams.get('name');
    if (method === 'DELETE' && deleteStyle === 'query' && name !== null && name !== '') return { op: 'deleteToken', userId, name };
    throw methodNotAllowed(method);
  }
  if (method === 'DELETE' && deleteStyle === 'path') return { op: 'deleteToken', userId, name: decode(nameSeg) };
  if (method === 'DELETE') throw notFound();
  throw methodNotAllowed(method);
}
