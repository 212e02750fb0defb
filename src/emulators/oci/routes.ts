/**
 * Routing of Identity's API key paths. Path segments are percent-decoded here (the SDK
 * sends fingerprints as `aa%3Abb…`); the signature check keeps using the raw path.
 */
import { OciHttpError } from './errors.js';

/** Version prefix the SDK appends to whatever endpoint it is given. */
export const API_PREFIX = '/20160918';

/** A matched operation. */
export type Route =
  | { readonly op: 'ListApiKeys'; readonly userId: string }
  | { readonly op: 'UploadApiKey'; readonly userId: string }
  | { readonly op: 'DeleteApiKey'; readonly userId: string; readonly fingerprint: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new OciHttpError(400, 'CannotParseRequest', 'The request path is not valid percent-encoding.');
  }
}

function methodNotAllowed(method: string): OciHttpError {
  return new OciHttpError(405, 'MethodNotAllowed', `Method ${method} is not allowed on this resource.`);
}

/** Matches method and raw URL to an operation, or throws 404 NotFound / 405 MethodNotAllowed. */
export function matchRoute(method: string, rawUrl: string): Route {
  const path = rawUrl.split('?', 1)[0] ?? '';
  const parts = path.split('/');
  // ['', '20160918', 'users', '{userId}', 'apiKeys', '{fingerprint}?']
  const [root, version, users, userSeg, apiKeys, fpSeg, ...extra] = parts;
  const matches =
    root === '' &&
    `/${version ?? ''}` === API_PREFIX &&
    users === 'users' &&
    userSeg !== undefined &&
    userSeg.length > 0 &&
    apiKeys === 'apiKeys' &&
    extra.length === 0;
  if (!matches) {
    throw new OciHttpError(404, 'NotFound', 'There is no operation that corresponds to the given path and method.');
  }
  const userId = decode(userSeg);
  if (fpSeg === undefined || fpSeg === '') {
    if (method === 'GET') return { op: 'ListApiKeys', userId };
    if (method === 'POST') return { op: 'UploadApiKey', userId };
    throw methodNotAllowed(method);
  }
  if (method === 'DELETE') return { op: 'DeleteApiKey', userId, fingerprint: decode(fpSeg) };
  throw methodNotAllowed(method);
}
