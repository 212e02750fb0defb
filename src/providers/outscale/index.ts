/**
 * OUTSCALE provider: access keys (`outscale.access_key`) over OAPI with `fetch`, signed
 * OSC4 (or AWS4) by the signer in ./signing, or authenticated with login and password.
 * The registry imports `createOutscaleAdapter`; the rest is exported for tests and tools.
 */
export { OutscaleAdapter, createOutscaleAdapter, type OutscaleAdapterOptions } from './adapter.js';
export {
  MARKER_PREFIX,
  OUTSCALE_ACCESS_KEY_KIND,
  formatOapiDate,
  lifetimeText,
  markerOf,
  markerTag,
  parseOapiDate,
  toLiveKey,
  type AccessKeyState,
  type WireAccessKey,
} from './access-key.js';
export { OapiClient, mayHaveExecuted, type CallOptions, type OapiClientOptions } from './client.js';
export { DEFAULT_OSC_CONFIG_FILE, DEFAULT_OSC_PROFILE, parseOscConfig, readOscProfile, type OscProfile } from './config-file.js';
export { expandPath as expandHome } from '../shared/files.js';
export { DEFAULT_REGION, resolveOutscaleCredentials, type OutscaleAuth, type OutscaleConnection } from './credentials.js';
export { API_PATH, actionUrl, apiBaseUrl, regionEndpoint } from './endpoint.js';
export { NOT_FOUND_CODES, failureError, isRetryableStatus, parseFailure, scrub, type OapiAction, type OapiFailure } from './errors.js';
export { CALLER_OWNER, ownerOf, userNameOf } from './owner.js';
export { DEFAULT_RETRY, retryAfterMs, retryDelay, type RetryPolicy } from './retry.js';
export { SANDBOX_ENDPOINT, parseOutscaleSettings, type OutscaleSettings } from './settings.js';
