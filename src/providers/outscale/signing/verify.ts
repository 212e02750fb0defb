/**
 * Server side: checks an OSC4 or AWS4 signature the way the OUTSCALE gateway does
 * (providers/outscale-dataos.md §A5, Gotcha 3): the canonical request is rebuilt from the
 * `SignedHeaders` the client sent (py-sdk, osc-cli, curl and the SDKs each sign a
 * different set), region and service come from the credential scope, the body is hashed
 * as raw bytes, and the timestamp must be within the replay window. Used by the emulator.
 */
import { timingSafeEqual } from 'node:crypto';
import { Secret } from '../../../model/secret.js';
import { canonicalRequest, computeSignature, credentialScope, parseSigningDate, SCHEMES, stringToSign, type SigningScheme } from './canonical.js';

/** A request exactly as received; `headers` is compatible with node's IncomingHttpHeaders. */
export interface ReceivedRequest {
  readonly method: string;
  /** Request target as sent: path and optional `?query`, still percent-encoded. */
  readonly rawUrl: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string | Uint8Array;
}

/** The fields of a parsed `Authorization: OSC4-HMAC-SHA256 …` header. */
export interface ParsedAuthorization {
  readonly scheme: SigningScheme;
  readonly accessKey: string;
  readonly dateStamp: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** What the verifier needs besides the request. */
export interface VerifyOptions {
  readonly now: Date;
  /** The secret of an access key that may sign now; undefined for unknown, inactive or expired keys. */
  readonly lookupSecret: (accessKey: string) => Secret | undefined;
  /** Largest accepted |timestamp − now|, in ms. @default 300000 (the documented 5 minutes) */
  readonly maxSkewMs?: number;
}

/** The outcome: who signed, or why the request is refused (never containing a secret). */
export type VerifyResult =
  | { readonly ok: true; readonly accessKey: string; readonly scheme: SigningScheme; readonly region: string; readonly service: string }
  | { readonly ok: false; readonly reason: string; readonly accessKey?: string };

const SCHEME_BY_ALGORITHM = new Map<string, SigningScheme>((Object.keys(SCHEMES) as SigningScheme[]).map((s) => [SCHEMES[s].algorithm, s]));

/** Parses a signature Authorization header of either scheme; undefined when malformed. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m = /^(\S+)\s+(.*)$/s.exec(header.trim());
  if (m === null) return undefined;
  const scheme = SCHEME_BY_ALGORITHM.get(m[1] ?? '');
  if (scheme === undefined) return undefined;
  const params = new Map<string, string>();
  for (const part of (m[2] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (params.has(name)) return undefined;
    params.set(name, part.slice(eq + 1).trim());
  }
  const credential = (params.get('Credential') ?? '').split('/');
  const signedHeaders = (params.get('SignedHeaders') ?? '').split(';');
  const signature = params.get('Signature') ?? '';
  if (credential.length !== 5 || credential.some((c) => c.length === 0)) return undefined;
  if (signedHeaders.some((h) => h.length === 0 || h !== h.toLowerCase())) return undefined;
  if (!/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const [accessKey = '', dateStamp = '', region = '', service = '', terminator = ''] = credential;
  return { scheme, accessKey, dateStamp, region, service, terminator, signedHeaders, signature };
}

function header(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : v.join(', ');
}

/** Verifies the signature of a received request, comparing in constant time. */
export function verifySignature(req: ReceivedRequest, opts: VerifyOptions): VerifyResult {
  const auth = header(req.headers, 'authorization');
  if (auth === undefined) return { ok: false, reason: 'no Authorization header' };
  const parsed = parseAuthorization(auth);
  if (parsed === undefined) return { ok: false, reason: 'Authorization is not a well-formed OSC4/AWS4 signature' };
  const { scheme, accessKey } = parsed;
  const fail = (reason: string): VerifyResult => ({ ok: false, reason, accessKey });
  const names = SCHEMES[scheme];

  if (parsed.terminator !== names.terminator) return fail(`credential scope does not end in ${names.terminator}`);
  const signed = new Set(parsed.signedHeaders);
  // Without these two signed, a captured signature could be replayed later or elsewhere.
  if (!signed.has(names.dateHeader)) return fail(`${names.dateHeader} is not signed`);
  if (!signed.has('host')) return fail('host is not signed');
  const timestamp = header(req.headers, names.dateHeader) ?? '';
  const signedAt = parseSigningDate(timestamp);
  if (signedAt === undefined) return fail(`${names.dateHeader} is not YYYYMMDDTHHMMSSZ`);
  if (timestamp.slice(0, 8) !== parsed.dateStamp) return fail('credential scope date differs from the timestamp');
  if (Math.abs(signedAt.getTime() - opts.now.getTime()) > (opts.maxSkewMs ?? 300_000)) {
    return fail(`${names.dateHeader} is outside the allowed clock skew`);
  }
  for (const name of parsed.signedHeaders) {
    if (header(req.headers, name) === undefined) return fail(`signed header ${name} is missing from the request`);
  }
  const secret = opts.lookupSecret(accessKey);
  if (secret === undefined) return fail('access key is unknown or cannot sign');

  const q = req.rawUrl.indexOf('?');
  const canonical = canonicalRequest({
    method: req.method,
    path: q < 0 ? req.rawUrl : req.rawUrl.slice(0, q),
    search: q < 0 ? '' : req.rawUrl.slice(q + 1),
    signedHeaders: parsed.signedHeaders,
    headerValue: (name) => header(req.headers, name) ?? '',
    body: req.body,
  });
  const scope = credentialScope(scheme, parsed.dateStamp, parsed.region, parsed.service);
  const expected = computeSignature(
    scheme,
    secret.reveal(),
    parsed.dateStamp,
    parsed.region,
    parsed.service,
    stringToSign(scheme, timestamp, scope, canonical),
  );
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(parsed.signature, 'hex'))) {
    return fail('signature does not match');
  }
  return { ok: true, accessKey, scheme, region: parsed.region, service: parsed.service };
}

/**
 * Parses `Authorization: Basic …` into login and password. Accepts standard and URL-safe
 * base64 (osc-cli sends the latter). Undefined when it is not Basic or has no colon.
 */
export function parseBasicAuthorization(headerValue: string): { login: string; password: Secret } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/_=-]+)\s*$/.exec(headerValue);
  if (m === null) return undefined;
  const decoded = Buffer.from((m[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { login: decoded.slice(0, colon), password: new Secret(decoded.slice(colon + 1)) };
}
