/**
 * The optional check after a create: TestBdsObjectStorageConnection with the new key and
 * its passphrase (a work request of type TEST_OBJECT_STORE_CONNECTION, providers/oci.md
 * §2.1). A key that cannot reach the declared bucket is useless to the cluster's jobs, so
 * a failed test fails the step and the key is deleted again; nothing is left orphaned.
 */
import type * as bds from 'oci-bds';
import { ProviderError } from '../../../errors/errors.js';
import type { Secret } from '../../../model/secret.js';
import type { VerifyResult } from '../../contract.js';
import { bdsError, type BdsErrorContext } from './errors.js';
import { awaitWorkRequest, requireWorkRequestId, type WorkRequestWait } from './work-request.js';

/** One connection test of a freshly created key. */
export interface ConnectionTest {
  readonly client: bds.BdsClient;
  readonly cluster: string;
  readonly keyId: string;
  readonly test: { readonly uri: string; readonly region?: string };
  readonly passphrase: Secret;
  /** Context of the create this test belongs to. */
  readonly ctx: BdsErrorContext;
  readonly wait: WorkRequestWait;
  /** Deletes the new key again; true when it is gone. */
  readonly remove: () => Promise<boolean>;
}

/** Sends the test and waits for its work request; throws what failed (a FAILED one: serviceCode `WorkRequestFAILED`). */
async function runTest(t: Omit<ConnectionTest, 'remove'>, ctx: BdsErrorContext): Promise<void> {
  const res = await t.client.testBdsObjectStorageConnection({
    bdsInstanceId: t.cluster,
    apiKeyId: t.keyId,
    testBdsObjectStorageConnectionDetails: {
      objectStorageUri: t.test.uri,
      passphrase: t.passphrase.reveal(),
      ...(t.test.region === undefined ? {} : { objectStorageRegion: t.test.region }),
    },
  });
  await awaitWorkRequest(t.client, requireWorkRequestId(res.opcWorkRequestId, ctx), t.wait, ctx);
}

/**
 * The test as a verification of a new key: a work request that ends FAILED rejects the key
 * (it may not have propagated yet; the engine decides whether to try again and whether to
 * delete it). Other failures (no answer, throttling, timeouts) are thrown.
 */
export async function verifyConnection(t: Omit<ConnectionTest, 'remove'>): Promise<VerifyResult> {
  const ctx: BdsErrorContext = { ...t.ctx, operation: 'TestBdsObjectStorageConnection' };
  try {
    await runTest(t, ctx);
    return { outcome: 'authenticated' };
  } catch (err) {
    t.wait.signal?.throwIfAborted();
    const e = bdsError(err, ctx);
    if (e.serviceCode === 'WorkRequestFAILED') return { outcome: 'rejected', reason: `${e.message} (testing ${t.test.uri})` };
    throw e;
  }
}

/** Runs the test; on failure deletes the key and throws a ProviderError saying both. */
export async function testConnection(t: ConnectionTest): Promise<void> {
  const ctx: BdsErrorContext = { ...t.ctx, operation: 'TestBdsObjectStorageConnection' };
  try {
    await runTest(t, ctx);
  } catch (err) {
    // Interrupted: the journalled alias lets the next plan delete the key instead.
    t.wait.signal?.throwIfAborted();
    const e = bdsError(err, ctx);
    const removed = await t.remove();
    const outcome = removed ? `the new key ${t.keyId} was deleted again` : `deleting the new key ${t.keyId} failed too; the next plan shows it`;
    throw new ProviderError(`${e.message} (testing ${t.test.uri}); ${outcome}`, {
      provider: e.provider,
      operation: e.operation,
      key: e.key,
      retryable: false,
      statusCode: e.statusCode,
      serviceCode: e.serviceCode,
      requestId: e.requestId,
      cause: err,
    });
  }
}
