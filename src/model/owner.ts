/**
 * The owner of keys declared without a user: whoever keyplan's own credentials belong to
 * (the account or the user keyplan signs as, the user of the provider's token). One label
 * for every provider, so plans name it the same way. The parentheses keep it apart from
 * every real user name or id: a provider using it must not allow them in user names
 * (each provider folder says why its names cannot contain them).
 */
export const CALLER_OWNER = '(caller)';
