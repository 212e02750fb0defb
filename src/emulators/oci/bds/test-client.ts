/**
 * The official `oci-bds` client pointed at the emulator, set up for tests as the Identity
 * one is (testing/sdk.ts), and waiters that poll without sleeping (providers/oci.md §5.5).
 * Used by this folder's tests; adapters build their own clients.
 */
import * as common from 'oci-common';
import * as bds from 'oci-bds';
import type { OciCredentials } from '../credentials.js';
import { testSdkClient } from '../testing/sdk.js';

/** A BdsClient that signs as `creds` and talks to `url` (no version: the SDK adds `/20190531`). */
export function testBdsClient(creds: OciCredentials, url: string): bds.BdsClient {
  return testSdkClient(bds.BdsClient, creds, url);
}

/** Waiters that give up after `seconds` and poll back to back. */
export function fastWaiters(client: bds.BdsClient, seconds = 10): bds.BdsWaiter {
  return client.createWaiters({
    terminationStrategy: new common.MaxTimeTerminationStrategy(seconds),
    delayStrategy: new common.FixedTimeDelayStrategy(0),
  });
}
