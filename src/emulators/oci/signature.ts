/**
 * Server-side check of OCI HTTP Signatures (draft-cavage-08, signature version 1), as
 * providers/oci.md §3.3 describes it. Every failure is the same 401 NotAuthenticated for
 * the client; the `detail` of the error says which check failed, for the request log.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { notYetAuthenticating } from '../shared/index.js';
import { notAuthenticated } from './errors.js';
import { fingerprintOf } from './public-key.js';
import type { TokenIssuer } from './session-tokens.js';
import { lifecycleOf, type KeyStore } from './store.js';

/** The parts of a request the signature covers, exactly as received. */
export interface SignedRequest {
  readonly method: string;
  /** The raw request target (path and query as sent, still percent-encoded). */
  readonly rawUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Who signed a request that passed every check. */
export interface Caller {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
}

/** Limits the check applies. */
export interface SignatureCheckOptions {
  /** Largest accepted |signed date − now|, in ms. */
  readonly clockSkewMs: number;
  readonly now: number;
  /** Issuer of the session tokens `keyId="ST$<token>"` may carry; without one they are refused. */
  readonly tokens?: TokenIssuer;
}

/** Prefix of a session-token keyId, as the SDKs send it. */
export const SESSION_KEY_ID_PREFIX = 'ST$';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BASE_HEADERS = ['(request-target)', 'host'];
const BODY_HEADERS = ['content-length', 'content-type', 'x-content-sha256'];

/**
 * Parses `Signature k="v",k="v"` with the parameters in any order (the TS SDK puts
 * `version` first, the Python SDK last). Returns undefined on any malformed input.
 */
export function parseAuthorization(header: string): Map<string, string> | undefined {
  if (!header.startsWith('Signature ')) return undefined;
  const rest = header.slice('Signature '.length).trim();
  const params = new Map<string, string>();
  const pair = /\s*([A-Za-z]+)="([^"]*)"\s*(,|$)/y;
  while (pair.lastIndex < rest.length) {
    const m = pair.exec(rest);
    if (m === null) return undefined;
    const [, name = '', value = ''] = m;
    if (params.has(name)) return undefined;
    params.set(name, value);
  }
  return params;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Verifies the request's signature and returns the caller, or throws 401.
 * Order: syntax, key lookup, required headers, signature, body digest, date.
 */
export function authenticate(req: SignedRequest, store: KeyStore, opts: SignatureCheckOptions): Caller {
  const auth = headerValue(req.headers, 'authorization');
  if (auth === undefined) throw notAuthenticated('no Authorization header');
  const params = parseAuthorization(auth);
  if (params === undefined) throw notAuthenticated('Authorization header is not a well-formed Signature');
  if (params.get('version') !== '1') throw notAuthenticated('signature version is not "1"');
  if (params.get('algorithm') !== 'rsa-sha256') throw notAuthenticated('algorithm is not rsa-sha256');
  const signature = params.get('signature');
  if (signature === undefined || signature.length === 0) throw notAuthenticated('no signature parameter');

  const keyId = params.get('keyId') ?? '';
  const { caller, publicKey } = keyId.startsWith(SESSION_KEY_ID_PREFIX)
    ? sessionSigner(keyId.slice(SESSION_KEY_ID_PREFIX.length), store, opts)
    : apiKeySigner(keyId, store, opts);

  // Header names in headers="…" may be mixed case (the TS SDK sends `Content-Type`).
  const names = (params.get('headers') ?? 'date')
    .split(/\s+/)
    .filter((n) => n.length > 0)
    .map((n) => n.toLowerCase());
  const signed = new Set(names);
  const required = BODY_METHODS.has(req.method) ? [...BASE_HEADERS, ...BODY_HEADERS] : BASE_HEADERS;
  for (const name of required) {
    if (!signed.has(name)) throw notAuthenticated(`required header \`${name}\` is not signed`);
  }
  const dateHeader = signed.has('x-date') ? 'x-date' : signed.has('date') ? 'date' : undefined;
  if (dateHeader === undefined) throw notAuthenticated('neither `date` nor `x-date` is signed');

  const lines: string[] = [];
  for (const name of names) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${req.method.toLowerCase()} ${req.rawUrl}`);
      continue;
    }
    const value = headerValue(req.headers, name);
    if (value === undefined) throw notAuthenticated(`signed header \`${name}\` is missing from the request`);
    lines.push(`${name}: ${value}`);
  }
  const ok = verify('sha256', Buffer.from(lines.join('\n'), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  if (!ok) throw notAuthenticated('signature does not verify with the named key');

  // The signature covers the digest header, not the body: compare the body with it.
  if (signed.has('x-content-sha256')) {
    const digest = createHash('sha256').update(req.body).digest('base64');
    if (headerValue(req.headers, 'x-content-sha256') !== digest) throw notAuthenticated('body does not match x-content-sha256');
  }
  if (signed.has('content-length') && headerValue(req.headers, 'content-length') !== String(req.body.length)) {
    throw notAuthenticated('body length does not match content-length');
  }

  const date = Date.parse(headerValue(req.headers, dateHeader) ?? '');
  if (Number.isNaN(date)) throw notAuthenticated(`\`${dateHeader}\` is not a date`);
  if (Math.abs(date - opts.now) > opts.clockSkewMs) throw notAuthenticated(`\`${dateHeader}\` is outside the allowed clock skew`);

  return caller;
}

/** `tenancy/user/fingerprint`: one of the user's ACTIVE API keys. */
function apiKeySigner(keyId: string, store: KeyStore, opts: SignatureCheckOptions): { caller: Caller; publicKey: KeyObject } {
  const idParts = keyId.split('/');
  if (idParts.length !== 3) throw notAuthenticated('keyId is not tenancy/user/fingerprint');
  const [tenancy = '', user = '', fingerprint = ''] = idParts;
  if (tenancy !== store.tenancy) throw notAuthenticated('keyId names another tenancy');
  const key = store.findKey(user, fingerprint);
  if (key === undefined) throw notAuthenticated('keyId names no key of a known user');
  if (lifecycleOf(key, opts.now) !== 'ACTIVE') throw notAuthenticated('signing key is not ACTIVE');
  // A new key OCI has not propagated yet is refused like any unknown one (the same 401 body).
  const propagating = notYetAuthenticating(key.authenticatesFrom, opts.now);
  if (propagating !== undefined) throw notAuthenticated(propagating);
  return { caller: { tenancy, user, fingerprint }, publicKey: createPublicKey(key.keyValue) };
}

/**
 * `ST$<token>`: a session token this emulator issued, unexpired; the request is signed
 * with the session key of its `jwk` claim and acts as its subject user.
 */
function sessionSigner(token: string, store: KeyStore, opts: SignatureCheckOptions): { caller: Caller; publicKey: KeyObject } {
  if (opts.tokens === undefined) throw notAuthenticated('session tokens are not accepted here');
  const principal = opts.tokens.verify(token, opts.now);
  if (principal.tenancy !== store.tenancy) throw notAuthenticated('security token names another tenancy');
  if (!store.hasUser(principal.user)) throw notAuthenticated('security token names an unknown user');
  const caller = { tenancy: principal.tenancy, user: principal.user, fingerprint: fingerprintOf(principal.publicKey) };
  return { caller, publicKey: principal.publicKey };
}
