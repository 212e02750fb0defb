/**
 * OCI provider: IAM API signing keys (`oci.api_key`) on the official oci-identity SDK,
 * and Big Data Service API keys (`oci.bds_api_key`, folder bds/) on oci-bds, which the
 * adapter loads on first use. The registry imports `createOciAdapter`; the rest is
 * exported for tests and tools.
 */
export { OciAdapter, createOciAdapter, type OciAdapterOptions } from './adapter.js';
export { BDS_API_KEY_KIND, type BdsOptions } from './bds/lazy.js';
export { OCI_API_KEY_KIND, toLiveKey } from './api-key.js';
export { liveStatusOf } from './lifecycle.js';
export { DEFAULT_PROFILE, parseOciConfig, readOciProfile, selectProfile, type OciConfigProfile } from './config-file.js';
export { regionFor, resolveOciCredentials, type OciCredentials } from './credentials.js';
export { expandPath } from '../shared/files.js';
export { isNotFound, isRetryable, ociErrorInfo, toProviderError, type OciOperation } from './errors.js';
export {
  ALLOWED_KEY_BITS,
  DEFAULT_KEY_BITS,
  OCI_API_KEY_LABEL,
  bitsOf,
  fingerprintOf,
  generateApiKeyPair,
  type ApiKeyPair,
  type KeyGenOptions,
} from './keygen.js';
export { recoverUpload, type UploadScope } from './recover-upload.js';
export { retryConfigurationFor, retryTokenFor } from './retry.js';
export { SANDBOX_ENDPOINT, parseOciSettings, type OciSettings } from './settings.js';
export { declaredBits, keyBits, validateOci } from './validate.js';
export { waitUntilActive, type WaitActiveOptions, type WaitActiveResult } from './wait-active.js';
