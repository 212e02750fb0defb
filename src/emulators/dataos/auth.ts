/**
 * Who is calling. Heimdall clients send the token in a header literally named `apikey`
 * (the DataOS SDKs) or as `Authorization: Bearer <token>` (Querybook); both work here
 * (providers/outscale-dataos.md gotcha 13). A token is accepted when it decodes to
 * `<name>.<uuid>`, a user holds a token of that name and UUID, and it has not expired.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { notYetAuthenticating } from '../shared/index.js';
import { unauthorized } from './errors.js';
import type { StoredToken, StoredUser, TokenStore } from './store.js';
import { decodeToken } from './tokens.js';

/** An authenticated caller. */
export interface Caller {
  readonly user: StoredUser;
  readonly token: StoredToken;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The token a request carries: the `apikey` header first, then a Bearer Authorization. */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const apikey = single(headers['apikey'])?.trim();
  if (apikey !== undefined && apikey !== '') return apikey;
  const authorization = single(headers['authorization']);
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

/** The caller a token belongs to, or a 401 error explaining (in the log only) why not. */
export function callerOf(store: TokenStore, token: string | undefined, now: number): Caller {
  if (token === undefined) throw unauthorized('no apikey header and no Bearer token');
  const parts = decodeToken(token);
  if (parts === undefined) throw unauthorized('the token is not base64 of <name>.<uuid>');
  const found = store.findByToken(parts.name, parts.uuid);
  if (found === undefined) throw unauthorized(`no token named ${parts.name} with that secret`);
  // [inference] an expired token no longer authenticates, although it is still listed.
  if (found.token.expiresAt <= now) throw unauthorized(`token ${parts.name} of ${found.user.id} has expired`);
  const propagating = notYetAuthenticating(found.token.authenticatesFrom, now);
  if (propagating !== undefined) throw unauthorized(`token ${parts.name} of ${found.user.id}: ${propagating}`);
  return found;
}
