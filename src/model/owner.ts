/**
 * The owner of keys declared without a user: whoever keyplan's own credentials belong to
 * (OUTSCALE: the account or the EIM user keyplan signs as; DataOS: the user of the
 * provider's token). One label for every provider, so plans name it the same way. The
 * parentheses keep it apart from every real user name or id: neither OUTSCALE user names
 * nor DataOS user ids may contain them.
 */
export const CALLER_OWNER = '(caller)';
