/**
 * DataOS tokens as keyplan's live keys. A token is identified by its user and its name
 * (names are unique per user only), so a live id is `<owner>/<token name>`, e.g.
 * `alice/presto-driver-2` or `(caller)/presto-driver`: the owner as the config states it, so
 * two declarations of one user (one naming it, one relying on the caller) never share
 * an id. The name's generation (`-2`, `-3`, …) is how rotations tell tokens apart.
 */
import type { LiveKey } from '../../model/live.js';
import type { ListedToken } from './wire.js';

/** The kind this adapter serves. */
export const DATAOS_API_KEY_KIND = 'dataos.api_key';

/** `owner/name`. */
export function liveIdOf(owner: string, name: string): string {
  return `${owner}/${name}`;
}

/** The token name inside a live id of `owner`, or undefined when the id belongs to another owner. */
export function tokenNameOf(owner: string, id: string): string | undefined {
  const prefix = `${owner}/`;
  return id.startsWith(prefix) && id.length > prefix.length ? id.slice(prefix.length) : undefined;
}

/** Where a listed token lives. */
export interface TokenScope {
  /** Provider block name. */
  readonly provider: string;
  /** The key's owner as declared (a user id, or DATAOS_CALLER). */
  readonly owner: string;
  /** The user id Heimdall knows the owner as. */
  readonly userId: string;
}

/** A token as a LiveKey: attributes `live_name`, `user_id`, `expiration`; an expired token is `inactive`. */
export function toLiveKey(token: ListedToken, scope: TokenScope, now: number): LiveKey {
  const expired = token.expiration !== undefined && Date.parse(token.expiration) <= now;
  return {
    provider: scope.provider,
    kind: DATAOS_API_KEY_KIND,
    owner: scope.owner,
    id: liveIdOf(scope.owner, token.name),
    status: expired ? 'inactive' : 'active',
    ...(token.expiration === undefined ? {} : { expiresAt: token.expiration }),
    attributes: { live_name: token.name, user_id: scope.userId, ...(token.expiration === undefined ? {} : { expiration: token.expiration }) },
  };
}
