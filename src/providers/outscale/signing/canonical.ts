/**
 * The parts of SigV4-style signing that OSC4 and AWS4 share: the scheme table, the
 * timestamp format, the canonical request, the string to sign and the key derivation
 * (providers/outscale-dataos.md §A5). Signer and verifier both build on these, so a
 * request the adapter signs is checked by exactly the same canonicalisation.
 */
import crypto, { createHash, createHmac } from 'node:crypto';

/** OUTSCALE's own `OSC4-HMAC-SHA256`, or the AWS SigV4 the official SDKs send. */
export type SigningScheme = 'OSC4' | 'AWS4';

/** What differs between the two schemes: only names, never the algorithm. */
export interface SchemeNames {
  readonly algorithm: string;
  /** Header carrying the `YYYYMMDDTHHMMSSZ` timestamp, lower case. */
  readonly dateHeader: string;
  /** Last element of the credential scope. */
  readonly terminator: string;
  /** Prefix of the secret in the first HMAC of the key derivation. */
  readonly keyPrefix: string;
}

/** The name table of each scheme. */
export const SCHEMES: Readonly<Record<SigningScheme, SchemeNames>> = {
  OSC4: { algorithm: 'OSC4-HMAC-SHA256', dateHeader: 'x-osc-date', terminator: 'osc4_request', keyPrefix: 'OSC4' },
  AWS4: { algorithm: 'AWS4-HMAC-SHA256', dateHeader: 'x-amz-date', terminator: 'aws4_request', keyPrefix: 'AWS4' },
};

/** The service name OAPI signs for. */
export const OAPI_SERVICE = 'api';

/** `YYYYMMDDTHHMMSSZ` in UTC, the form of `X-Osc-Date` and `X-Amz-Date`. */
export function formatSigningDate(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second === lastDate.second) return lastDate.text;
  // 2026-01-02T03:04:05.678Z → 20260102T030405Z
  const iso = now.toISOString();
  const text = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  lastDate = { second, text };
  return text;
}

// A refresh signs hundreds of calls within the same second.
let lastDate = { second: Number.NaN, text: '' };

/** Parses `YYYYMMDDTHHMMSSZ` strictly; undefined for anything else. */
export function parseSigningDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 20240231 over to March; a real timestamp never does.
  return formatSigningDate(date) === value ? date : undefined;
}

/**
 * `crypto.hash` (Node 20.12 and later) hashes in one call, without a Hash object: a third of
 * the cost, and every signed request hashes twice.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/** Hex SHA-256 of a string (UTF-8) or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot !== undefined ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Canonical query string: parameters sorted by name then value, RFC 3986-encoded. OAPI
 * sends none, but a query must still be covered rather than silently ignored.
 */
export function canonicalQuery(search: string): string {
  if (search === '') return '';
  const params = [...new URLSearchParams(search)].map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  params.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A header value as SigV4 canonicalises it: trimmed, inner runs of spaces collapsed. */
export function canonicalHeaderValue(value: string): string {
  const trimmed = value.trim();
  return SPACE_RUN.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

// A value to collapse: a whitespace character other than a lone space. Most values have none.
const SPACE_RUN = /\s\s|[^\S ]/;

/** Everything the canonical request is built from; header names are lower case. */
export interface CanonicalParts {
  readonly method: string;
  /** The path exactly as sent (OUTSCALE signs it verbatim; no double encoding). */
  readonly path: string;
  /** The query without `?`, or ''. */
  readonly search: string;
  /** Signed header names, lower case, in the order they are listed. */
  readonly signedHeaders: readonly string[];
  readonly headerValue: (name: string) => string;
  readonly body: string | Uint8Array;
}

/** The canonical request text (§A5 step 2). */
export function canonicalRequest(p: CanonicalParts): string {
  // Concatenated, not mapped and joined: every signed call builds one, most of them early in a
  // short process where V8 still interprets the code.
  let headerLines = '';
  for (let i = 0; i < p.signedHeaders.length; i++) {
    const name = p.signedHeaders[i] as string;
    headerLines += `${name}:${canonicalHeaderValue(p.headerValue(name))}\n`;
  }
  return `${p.method.toUpperCase()}\n${p.path}\n${canonicalQuery(p.search)}\n${headerLines}\n${p.signedHeaders.join(';')}\n${sha256Hex(p.body)}`;
}

/** `{date}/{region}/{service}/{terminator}`. */
export function credentialScope(scheme: SigningScheme, dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/${SCHEMES[scheme].terminator}`;
}

/** String to sign (§A5 step 4). */
export function stringToSign(scheme: SigningScheme, timestamp: string, scope: string, canonical: string): string {
  return `${SCHEMES[scheme].algorithm}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Hex signature: HMAC chain prefix+secret → date → region → service → terminator, then over the string to sign. */
export function computeSignature(scheme: SigningScheme, secret: string, dateStamp: string, region: string, service: string, toSign: string): string {
  return createHmac('sha256', signingKey(scheme, secret, dateStamp, region, service))
    .update(toSign, 'utf8')
    .digest('hex');
}

// The derived key only changes with the day (and the credentials): a refresh's hundreds of
// calls reuse it instead of running the four-HMAC chain for each.
let lastKey: { readonly id: string; readonly key: Buffer } | undefined;

function signingKey(scheme: SigningScheme, secret: string, dateStamp: string, region: string, service: string): Buffer {
  const id = `${scheme}\n${secret}\n${dateStamp}\n${region}\n${service}`;
  if (lastKey?.id === id) return lastKey.key;
  const names = SCHEMES[scheme];
  let key = hmac(`${names.keyPrefix}${secret}`, dateStamp);
  for (const part of [region, service, names.terminator]) key = hmac(key, part);
  lastKey = { id, key };
  return key;
}
