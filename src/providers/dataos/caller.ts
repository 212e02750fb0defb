/**
 * The owner of `dataos.api_key` keys that name no `user`: whoever the provider's token
 * belongs to. The config layer sets it as the key's owner (it needs no network); the
 * adapter resolves it to a user id with `POST authorize` when it talks to Heimdall.
 * It is the owner label every provider uses for the caller's own keys.
 */
export { CALLER_OWNER as DATAOS_CALLER } from '../../model/owner.js';
