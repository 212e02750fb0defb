/**
 * What to make of a failed UploadApiKey. The SDK retries with the same opc-retry-token,
 * so an attempt that landed is replayed rather than duplicated, but the final error can
 * still hide a key that exists: only a list of the user's keys tells.
 */
import type * as identity from 'oci-identity';
import { ProviderError } from '../../errors/errors.js';
import { ociErrorInfo, toProviderError } from './errors.js';

/** Who the failed upload was for. */
export interface UploadScope {
  /** Provider block name. */
  readonly provider: string;
  /** The user OCID the key was uploaded to. */
  readonly owner: string;
  /** The key's fingerprint (lowercase). */
  readonly fingerprint: string;
  /** keyplan key name, for messages. */
  readonly key: string;
}

/**
 * The uploaded key when a list shows it despite `err`; otherwise throws. A 4xx other
 * than 409/429 means the service refused it and nothing exists (an earlier SDK attempt
 * that landed would have been replayed by its retry token instead). 409, 429, 5xx and
 * lost responses are ambiguous, so the user's keys are listed to find out.
 * @throws ProviderError for the upload failure, saying so when even the list failed
 */
export async function recoverUpload(client: identity.IdentityClient, err: unknown, scope: UploadScope): Promise<identity.models.ApiKey> {
  const { provider, owner, fingerprint: fp, key: name } = scope;
  const ctx = { provider, operation: 'UploadApiKey' as const, user: owner, key: name };
  const status = ociErrorInfo(err)?.statusCode;
  if (status !== undefined && status < 500 && status !== 409 && status !== 429) throw toProviderError(err, ctx);
  let found: identity.models.ApiKey | undefined;
  try {
    found = (await client.listApiKeys({ userId: owner })).items.find((k) => k.fingerprint?.toLowerCase() === fp);
  } catch {
    const e = toProviderError(err, ctx);
    throw new ProviderError(`${e.message}; whether key ${fp} was created is unknown (the next plan will show it)`, {
      provider: e.provider,
      operation: e.operation,
      key: name,
      retryable: false,
      statusCode: e.statusCode,
      serviceCode: e.serviceCode,
      requestId: e.requestId,
      cause: err,
    });
  }
  if (found === undefined || found.lifecycleState === 'DELETED') throw toProviderError(err, ctx);
  return found;
}
