/**
 * Official OCI SDK clients pointed at an emulator, configured for tests: no retries and
 * no circuit breaker (providers/oci.md §5.3), so an injected 429/500 surfaces at once and
 * ten failures in a row do not turn later calls into EOPENBREAKER; endpoint set last (§5.2).
 */
import * as common from 'oci-common';
import * as identity from 'oci-identity';
import type { OciCredentials } from '../credentials.js';

/** The constructor every official OCI SDK service client has. */
export type SdkClientClass<C> = new (params: common.AuthParams, clientConfiguration?: common.ClientConfiguration) => C;

/** A client of any OCI service (IdentityClient, BdsClient, …) that signs as `creds` and talks to `url`. */
export function testSdkClient<C extends { endpoint: string }>(Client: SdkClientClass<C>, creds: OciCredentials, url: string): C {
  const provider = new common.SimpleAuthenticationDetailsProvider(
    creds.tenancy,
    creds.user,
    creds.fingerprint,
    creds.privateKeyPem,
    null,
    common.Region.fromRegionId(creds.region),
  );
  const client = new Client(
    { authenticationDetailsProvider: provider },
    {
      retryConfiguration: common.NoRetryConfigurationDetails,
      circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    },
  );
  // Last: setting the region (the constructor does) overwrites the endpoint.
  client.endpoint = url;
  return client;
}

/** An IdentityClient that signs as `creds` and talks to `url`. */
export function testIdentityClient(creds: OciCredentials, url: string): identity.IdentityClient {
  return testSdkClient(identity.IdentityClient, creds, url);
}

/** The error a failed SDK call rejected with, or a failure when it did not reject. */
export async function sdkError(call: Promise<unknown>): Promise<common.OciError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof common.OciError) return err;
    throw err;
  }
  throw new Error('Expected the SDK call to fail, but it succeeded');
}
