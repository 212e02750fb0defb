/**
 * Verifying a new OUTSCALE access key: one ReadAccessKeys signed with the new AK/SK
 * itself (no UserName: a key always reads its own owner's keys), filtered to the key.
 * A 401 means the gateway does not accept the key (yet); the engine retries with backoff.
 */
import { ProviderError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import type { VerifyResult } from '../contract.js';
import { OapiClient, type OapiClientOptions } from './client.js';
import type { OutscaleConnection } from './credentials.js';

/** One verification of a new key. */
export interface AccessKeyCheck {
  /** Provider block name, for errors. */
  readonly provider: string;
  /** The block's connection: its region and endpoint are used, its credentials are not. */
  readonly conn: OutscaleConnection;
  readonly accessKeyId: string;
  readonly secretKey: Secret;
  /** The adapter's clock and timeouts (its retry policy is replaced by a single attempt). */
  readonly options: OapiClientOptions;
  readonly key: string;
  readonly signal?: AbortSignal;
}

/** Signs one ReadAccessKeys with the new key. */
export async function verifyAccessKey(check: AccessKeyCheck): Promise<VerifyResult> {
  const scheme = check.conn.auth.method === 'signature' ? check.conn.auth.scheme : 'OSC4';
  const conn: OutscaleConnection = {
    ...check.conn,
    auth: { method: 'signature', accessKey: check.accessKeyId, secretKey: check.secretKey, scheme },
    origin: `the new access key ${check.accessKeyId}`,
  };
  // One attempt: the engine owns the retries (with backoff, up to verify_timeout).
  const client = new OapiClient(conn, check.provider, { ...check.options, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
  try {
    await client.call(
      'ReadAccessKeys',
      { Filters: { AccessKeyIds: [check.accessKeyId] } },
      { key: check.key, ...(check.signal === undefined ? {} : { signal: check.signal }) },
    );
    return { outcome: 'authenticated' };
  } catch (error) {
    if (error instanceof ProviderError && error.statusCode === 401) {
      const rid = error.requestId === undefined ? '' : ` (RequestId ${error.requestId})`;
      return { outcome: 'rejected', reason: `ReadAccessKeys signed with the new key: 401 code ${error.serviceCode ?? 'none'}${rid}` };
    }
    throw error;
  }
}

/** The secret key among a create's material, as `material()` of the adapter hands it over. */
export function secretKeyOf(secrets: Readonly<Record<string, Secret>>): Secret | undefined {
  const s = secrets['secret_key'];
  return s instanceof Secret ? s : undefined;
}
