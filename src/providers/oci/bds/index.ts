/**
 * src/providers/oci/bds: kind `oci.bds_api_key`, OCI Big Data Service API keys, through
 * the official `oci-bds` client with the same credentials and endpoint as the oci
 * adapter's Identity client (the oci adapter dispatches BDS requests here).
 *
 * Identity: a key is listed per cluster (owner = cluster OCID) and named there by its
 * alias; its user and fingerprint are attributes, read once with GetBdsApiKey and then
 * taken from state. Create, delete and the optional connection test are work requests
 * (work-request.ts).
 *
 * Files: bds-key (model → LiveKey), declared (config attributes), list (pagination, GETs),
 * work-request (waiting, errors, new key id), test-connection, errors, adapter.
 */
import * as bds from 'oci-bds';
import * as common from 'oci-common';
import { BdsApiKeys, type BdsOptions } from './adapter.js';

export { BdsApiKeys, type BdsOptions } from './adapter.js';
export { BDS_API_KEY_KIND, bdsStatusOf, toBdsLiveKey, type BdsKeyDetails } from './bds-key.js';
export { bdsError, type BdsOperation } from './errors.js';
export { createdKeyId } from './work-request.js';

/** How to build the BdsClient: the oci adapter's signer, endpoint override and retry choice. */
export interface BdsClientSettings {
  /** Provider block name, for messages. */
  readonly provider: string;
  readonly auth: common.AuthenticationDetailsProvider;
  /** Base URL replacing the regional BDS endpoint (the SDK appends `/20190531`). */
  readonly endpoint?: string;
  /** Undefined keeps the SDK default for BDS: one attempt, no retry (providers/oci.md §5.3). */
  readonly retryConfiguration?: common.RetryConfiguration;
  readonly options?: BdsOptions;
}

/** A BdsClient with its circuit breaker off (as the Identity client's), wrapped for the oci adapter. */
export function createBdsApiKeys(s: BdsClientSettings): BdsApiKeys {
  const client = new bds.BdsClient(
    { authenticationDetailsProvider: s.auth },
    {
      circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
      ...(s.retryConfiguration === undefined ? {} : { retryConfiguration: s.retryConfiguration }),
    },
  );
  // Setting the region (the constructor does) rewrites the endpoint, so this comes last.
  if (s.endpoint !== undefined) client.endpoint = s.endpoint;
  return new BdsApiKeys(s.provider, client, s.options);
}
