/**
 * The official `oci-bds` client pointed at the emulator, set up for tests: no retries, no
 * circuit breaker (providers/oci.md §5.3), endpoint set last (§5.2), and waiters that poll
 * without sleeping (§5.5). Used by this folder's tests; adapters build their own clients.
 */
import * as common from 'oci-common';
import * as bds from 'oci-bds';
import type { OciCredentials } from '../credentials.js';

/** A BdsClient that signs as `creds` and talks to `url` (no version: the SDK adds `/20190531`). */
export function testBdsClient(creds: OciCredentials, url: string): bds.BdsClient {
  const provider = new common.SimpleAuthenticationDetailsProvider(
    creds.tenancy,
    creds.user,
    creds.fingerprint,
    creds.privateKeyPem,
    null,
    common.Region.fromRegionId(creds.region),
  );
  const client = new bds.BdsClient(
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

/** Waiters that give up after `seconds` and poll back to back. */
export function fastWaiters(client: bds.BdsClient, seconds = 10): bds.BdsWaiter {
  return client.createWaiters({
    terminationStrategy: new common.MaxTimeTerminationStrategy(seconds),
    delayStrategy: new common.FixedTimeDelayStrategy(0),
  });
}
