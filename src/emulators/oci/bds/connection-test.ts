/**
 * TestBdsObjectStorageConnection (providers/oci.md §2.1): an asynchronous check that the
 * cluster can reach Object Storage with the key. There is no Object Storage here, so the
 * emulator checks what it can: the passphrase opens the key (compared against the key's
 * salted hash on arrival, since the passphrase is never kept) and the URI has the HDFS
 * connector's `oci://bucket@namespace/` shape. Either failure ends the work request FAILED
 * with an error entry; a request missing a field is refused at once with 400.
 */
import type { Reply } from '../handlers.js';
import { notYetAuthenticating } from '../../shared/index.js';
import { invalidParameter, NOT_AUTHENTICATED_MESSAGE } from '../errors.js';
import { jsonObjectBody, lookupCluster, lookupKey, stringField, type BdsContext } from './context.js';
import { passphraseMatches } from './passphrase.js';
import { acceptWorkRequest } from './work-requests.js';

/** `oci://<bucket>@<namespace>/` optionally followed by a path; bucket names allow `._-`. */
export const OBJECT_STORAGE_URI = /^oci:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9_-]+\/\S*$/;

/** POST …/apiKeys/{keyId}/actions/testObjectStorageConnection. */
export async function testObjectStorageConnection(ctx: BdsContext, bdsId: string, keyId: string): Promise<Reply> {
  const key = lookupKey(ctx, bdsId, keyId);
  const body = jsonObjectBody(ctx);
  const uri = stringField(body, 'objectStorageUri', true);
  const passphrase = stringField(body, 'passphrase', true);
  const region = stringField(body, 'objectStorageRegion', false);
  if (region !== undefined && !/^[a-z]+-[a-z]+-\d+$/.test(region))
    throw invalidParameter('objectStorageRegion must be a region identifier such as us-ashburn-1.');

  const opens = await passphraseMatches(passphrase, key.passphrase);
  // The store may have changed while scrypt ran; look the key up again before writing.
  ctx.store.sync();
  lookupKey(ctx, bdsId, keyId);
  const plannedError = !OBJECT_STORAGE_URI.test(uri)
    ? { code: 'InvalidParameter', message: 'The Object Storage URI must look like oci://bucket@namespace/.' }
    : !opens
      ? { code: 'InvalidParameter', message: 'The passphrase does not decrypt the API key\u2019s private key.' }
      : notYetAuthenticating(key.authenticatesFrom, ctx.now) !== undefined
        ? // [guess] a key Object Storage does not accept yet fails the test with Identity's 401 code and message.
          { code: 'NotAuthenticated', message: NOT_AUTHENTICATED_MESSAGE }
        : undefined;
  const compartmentId = lookupCluster(ctx, bdsId)?.compartmentId ?? ctx.store.tenancy;
  const wr = acceptWorkRequest(ctx, {
    operationType: 'TEST_OBJECT_STORE_CONNECTION',
    bdsInstanceId: bdsId,
    keyId,
    compartmentId,
    ...(plannedError === undefined ? {} : { plannedError }),
  });
  ctx.store.commit();
  return { status: 202, headers: { 'opc-work-request-id': wr.id } };
}
