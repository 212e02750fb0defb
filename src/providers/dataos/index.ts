/**
 * src/providers/dataos: DataOS API keys (`dataos.api_key`) through Heimdall over fetch.
 * The registry imports `createDataosAdapter`; the rest is exported for tests and tools.
 * What is unverified about Heimdall (the delete route above all) is marked where used.
 */
export { DataosAdapter, createDataosAdapter, DEFAULT_DURATION, DELETE_ROUTES, type DataosAdapterOptions } from './adapter.js';
export { DATAOS_CALLER } from './caller.js';
export { connectHeimdall, type HeimdallConnection } from './connect.js';
export { HeimdallClient, type HeimdallAnswer, type HeimdallCall, type HeimdallClientOptions } from './client.js';
export { DATAOS_CODES, type HeimdallOperation } from './errors.js';
export { DATAOS_API_KEY_KIND, liveIdOf, tokenNameOf, toLiveKey } from './live.js';
export { DEFAULT_RETRY, backoffMs, type RetryPolicy } from './retry.js';
export { SANDBOX_ENDPOINT, parseDataosSettings, type AuthHeader, type DataosSettings } from './settings.js';
export { parseAuthorize, parseCreatedToken, parseTokenList, type CreatedToken, type ListedToken } from './wire.js';
