/**
 * Verifying a new OCI IAM API key: one ListApiKeys of the key's own user, signed with the
 * new private key, which is decrypted with its passphrase in memory only (node:crypto) and
 * handed to the SDK as an unencrypted PEM string that is never written anywhere. A user may
 * always list its own keys, so a 401 NotAuthenticated means the key does not (yet) work:
 * OCI takes a while to accept a freshly uploaded key everywhere, and the engine retries.
 */
import { createPrivateKey } from 'node:crypto';
import * as common from 'oci-common';
import * as identity from 'oci-identity';
import type { LiveKey } from '../../model/live.js';
import type { Secret } from '../../model/secret.js';
import type { VerifyResult } from '../contract.js';
import { regionFor, type OciCredentials } from './credentials.js';
import { ociErrorInfo, toProviderError } from './errors.js';

/** One verification of a new key. */
export interface ApiKeyCheck {
  /** Provider block name, for errors. */
  readonly provider: string;
  /** Tenancy, region and endpoint of the block (the signer of the block is not used). */
  readonly creds: OciCredentials;
  readonly live: LiveKey;
  /** The private key PEM as delivered to the outputs (encrypted unless `passphrase: none`). */
  readonly privateKeyPem: Secret;
  readonly passphrase: Secret | null;
  readonly signal?: AbortSignal;
}

/** Signs one ListApiKeys of the key's user with the key itself. */
export async function verifyApiKey(check: ApiKeyCheck): Promise<VerifyResult> {
  const { creds, live } = check;
  check.signal?.throwIfAborted();
  let pem: string;
  try {
    const key = createPrivateKey(
      check.passphrase === null ? check.privateKeyPem.reveal() : { key: check.privateKeyPem.reveal(), passphrase: check.passphrase.reveal() },
    );
    pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    // Node's message names formats, never key bytes; the reason stays generic anyway.
    return { outcome: 'rejected', reason: 'the new private key cannot be opened with its passphrase' };
  }
  const auth = new common.SimpleAuthenticationDetailsProvider(creds.tenancy, live.owner, live.id, pem, null, regionFor(creds.region));
  const client = new identity.IdentityClient(
    { authenticationDetailsProvider: auth },
    {
      circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
      // One attempt: the engine owns the retries (with backoff, up to verify_timeout).
      retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
    },
  );
  if (creds.endpoint !== undefined) client.endpoint = creds.endpoint;
  try {
    await client.listApiKeys({ userId: live.owner });
    return { outcome: 'authenticated' };
  } catch (err) {
    const info = ociErrorInfo(err);
    if (info?.statusCode === 401) {
      const rid = info.requestId === undefined ? '' : ` (opc-request-id ${info.requestId})`;
      return { outcome: 'rejected', reason: `ListApiKeys signed with the new key: 401 ${info.serviceCode}${rid}` };
    }
    throw toProviderError(err, { provider: check.provider, operation: 'ListApiKeys', user: live.owner });
  } finally {
    client.close();
  }
}
