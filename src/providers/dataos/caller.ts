/**
 * The owner of `dataos.api_key` keys that name no `user`: whoever the provider's token
 * belongs to. The config layer sets it as the key's owner (it needs no network); the
 * adapter resolves it to a user id with `POST authorize` when it talks to Heimdall.
 * It starts with `@`, which no user id in keys.yaml may, so it never means a real user.
 */
export const DATAOS_CALLER = '@me';
