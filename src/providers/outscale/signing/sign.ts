/**
 * Client side: the headers that authenticate one OAPI request, either an OSC4/AWS4
 * signature by an access key or Basic login/password (§A5).
 */
import type { Secret } from '../../../model/secret.js';
import {
  canonicalRequest,
  computeSignature,
  credentialScope,
  formatSigningDate,
  OAPI_SERVICE,
  SCHEMES,
  stringToSign,
  type SigningScheme,
} from './canonical.js';

/** An access key and the region whose scope it signs for. */
export interface SigningCredentials {
  readonly accessKey: string;
  readonly secretKey: Secret;
  readonly region: string;
}

/** The request as it will be sent. `headers` are the ones the caller sends besides auth (e.g. Content-Type). */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Returns the headers to add: `Authorization` and the scheme's date header (`X-Osc-Date`
 * for OSC4, `X-Amz-Date` for AWS4). Signs `host` (with its port, as `fetch` sends it), the
 * date header and every header in `req.headers`, so pass only headers that reach the wire
 * unchanged. Service is always `api`.
 */
export function signRequest(req: SignableRequest, creds: SigningCredentials, now: Date, scheme: SigningScheme = 'OSC4'): Record<string, string> {
  const names = SCHEMES[scheme];
  const timestamp = formatSigningDate(now);
  const values = new Map<string, string>();
  for (const name of Object.keys(req.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') throw new TypeError('Expected `req.headers` to hold no Authorization header, got one');
    values.set(lower, req.headers[name] as string);
  }
  values.set('host', req.url.host);
  values.set(names.dateHeader, timestamp);
  const signedHeaders = [...values.keys()].sort();

  const canonical = canonicalRequest({
    method: req.method,
    path: req.url.pathname,
    search: req.url.search.slice(1),
    signedHeaders,
    headerValue: (name) => values.get(name) ?? '',
    body: req.body,
  });
  const dateStamp = timestamp.slice(0, 8);
  const scope = credentialScope(scheme, dateStamp, creds.region, OAPI_SERVICE);
  const signature = computeSignature(
    scheme,
    creds.secretKey.reveal(),
    dateStamp,
    creds.region,
    OAPI_SERVICE,
    stringToSign(scheme, timestamp, scope, canonical),
  );
  const dateHeaderName = scheme === 'OSC4' ? 'X-Osc-Date' : 'X-Amz-Date';
  return {
    Authorization: `${names.algorithm} Credential=${creds.accessKey}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
    [dateHeaderName]: timestamp,
  };
}

/** `Authorization: Basic base64(login:password)` plus the `X-Osc-Date` the gateway requires with it. */
export function basicAuthHeaders(login: string, password: Secret, now: Date): Record<string, string> {
  const token = Buffer.from(`${login}:${password.reveal()}`, 'utf8').toString('base64');
  return { Authorization: `Basic ${token}`, 'X-Osc-Date': formatSigningDate(now) };
}
