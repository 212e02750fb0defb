/**
 * The owner (quota and listing scope) of an `outscale.access_key`. Dependency-free, so
 * the config layer can import it without loading the adapter.
 */

import { CALLER_OWNER } from '../../model/owner.js';

export { CALLER_OWNER };

/** The owner of a key with this `user_name` (null or absent: the caller). */
export function ownerOf(userName: string | null | undefined): string {
  return userName === null || userName === undefined ? CALLER_OWNER : userName;
}

/** The `UserName` to send for an owner: none for the caller's own keys. */
export function userNameOf(owner: string): string | undefined {
  return owner === CALLER_OWNER ? undefined : owner;
}
