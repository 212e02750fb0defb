/**
 * The owner (quota and listing scope) of an `outscale.access_key`. Dependency-free, so
 * the config layer can import it without loading the adapter.
 */

/**
 * Owner of keys declared without `user_name`: the caller's own keys (the root account or
 * the EIM user keyplan signs as). The parentheses keep it apart from every EIM user name,
 * which may only contain letters, digits and `+=,.@-_`.
 */
export const CALLER_OWNER = '(caller)';

/** The owner of a key with this `user_name` (null or absent: the caller). */
export function ownerOf(userName: string | null | undefined): string {
  return userName === null || userName === undefined ? CALLER_OWNER : userName;
}

/** The `UserName` to send for an owner: none for the caller's own keys. */
export function userNameOf(owner: string): string | undefined {
  return owner === CALLER_OWNER ? undefined : owner;
}
