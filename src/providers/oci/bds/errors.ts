/**
 * BDS failures as keyplan ProviderErrors with one-line, secret-free messages:
 * `oci: CreateBdsApiKey on cluster ocid1.bigdataservice…: 404 NotAuthorizedOrNotFound: …
 * (opc-request-id X)`. The SDK's error shapes are read by the IAM code's helpers
 * (../errors.ts); the passphrase is cut out of any text a server sends back, so not even
 * an endpoint that echoes request bodies can put it into a message or log.
 */
import { ProviderError } from '../../../errors/errors.js';
import { REDACTED, type Secret } from '../../../model/secret.js';
import { isRetryable, ociErrorInfo, scrub } from '../errors.js';

/** The BDS operations this adapter calls, named as in the OCI API reference. */
export type BdsOperation =
  | 'GetBdsInstance'
  | 'ListBdsApiKeys'
  | 'GetBdsApiKey'
  | 'CreateBdsApiKey'
  | 'DeleteBdsApiKey'
  | 'TestBdsObjectStorageConnection'
  | 'GetWorkRequest'
  | 'ListWorkRequestErrors';

/** What the failed call was about. */
export interface BdsErrorContext {
  /** Provider block name. */
  readonly provider: string;
  readonly operation: BdsOperation;
  readonly cluster: string;
  /** keyplan key name, when the call was for a declared key. */
  readonly key?: string;
  /** The passphrase the call carried, removed from any server text. */
  readonly passphrase?: Secret | null;
}

/** `oci: Op on cluster C` — the start of every BDS message. */
export function bdsPrefix(ctx: BdsErrorContext): string {
  return `oci: ${ctx.operation} on cluster ${ctx.cluster}`;
}

/** Server or SDK text made safe for a message: PEM blocks, newlines and the passphrase removed. */
export function safeText(text: string, passphrase?: Secret | null): string {
  const secret = passphrase?.reveal();
  const cut = secret === undefined || secret === '' ? text : text.split(secret).join(REDACTED);
  return scrub(cut);
}

/** Wraps `err` (anything the SDK threw) into a ProviderError for `ctx`. */
export function bdsError(err: unknown, ctx: BdsErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const base = { provider: ctx.provider, operation: ctx.operation, key: ctx.key, cause: err };
  const info = ociErrorInfo(err);
  if (info !== undefined) {
    const rid = info.requestId === undefined ? '' : ` (opc-request-id ${info.requestId})`;
    const text = safeText(info.message, ctx.passphrase);
    return new ProviderError(`${bdsPrefix(ctx)}: ${info.statusCode} ${info.serviceCode}${text === '' ? '' : `: ${text}`}${rid}`, {
      ...base,
      statusCode: info.statusCode,
      serviceCode: info.serviceCode,
      requestId: info.requestId,
      retryable: isRetryable(err),
    });
  }
  const o = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  const msg = safeText(typeof o['message'] === 'string' ? o['message'] : String(err), ctx.passphrase);
  const code = typeof o['code'] === 'string' ? ` (${o['code']})` : '';
  return new ProviderError(`${bdsPrefix(ctx)}: no response from the service: ${msg}${code}`, { ...base, retryable: true });
}
