/**
 * The emulator's security-token issuer, standing in for OCI's auth service behind
 * `oci session authenticate`: it signs user session tokens (UPST) and verifies the ones
 * that come back in a `keyId="ST$<token>"` request signature.
 *
 * Token shape, as far as public sources show it: a JWT whose `sub` is the user OCID and
 * whose `jwk` claim carries the session public key the client signs requests with
 * (the SDKs read `sess_exp` and `exp` from it). Claims marked [guess] have no source.
 *
 * One issuer key per data folder (so a token minted by `keyplan sandbox session-token`
 * verifies in the emulator a later run starts), or per instance without a data folder;
 * made on the first mint, so an emulator nobody asks for a session starts no faster or
 * slower than before and writes no extra file.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notAuthenticated } from './errors.js';

/** File of the issuer's private key inside the emulator's data folder (mode 0600). */
export const ISSUER_KEY_FILE = 'session-issuer-key.pem';

/** [guess] The issuer name real tokens carry. */
const ISSUER = 'authService.oracle.com';

/** What a verified token says about its caller. */
export interface SessionPrincipal {
  readonly user: string;
  readonly tenancy: string;
  /** The session public key from the `jwk` claim: request signatures must verify with it. */
  readonly publicKey: KeyObject;
}

/** What to put into a new token. */
export interface MintRequest {
  readonly tenancy: string;
  readonly user: string;
  /** Session public key (PEM) whose private half the client keeps. */
  readonly publicKeyPem: string;
  /** Issue time, ms since the epoch. */
  readonly now: number;
  /** Lifetime in ms ([guess] real sessions: about 1 h, refreshable with `oci session refresh`). */
  readonly ttlMs: number;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Signs and checks session tokens with one RS256 key, made on the first mint. */
export class TokenIssuer {
  /** A fixed key, or where the key lives (a data folder; undefined: this instance only). */
  readonly #source: KeyObject | string | undefined;
  #key: KeyObject | undefined;

  constructor(source: KeyObject | string | undefined) {
    this.#source = source;
    if (typeof source === 'object') this.#key = source;
  }

  /** The issuer of the data folder, or of this instance alone without a folder. */
  static open(dataDir: string | undefined): TokenIssuer {
    return new TokenIssuer(dataDir);
  }

  /** The signing key; undefined when none exists yet and `create` is false (no token was ever issued). */
  #signingKey(create: boolean): KeyObject | undefined {
    if (this.#key !== undefined || typeof this.#source === 'object') return this.#key;
    const fresh = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const dir = this.#source;
    if (dir === undefined) {
      if (create) this.#key = fresh();
      return this.#key;
    }
    const path = join(dir, ISSUER_KEY_FILE);
    try {
      this.#key = createPrivateKey(readFileSync(path, 'utf8'));
      return this.#key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (!create) return undefined;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pem = fresh().export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // `wx`: when another process sharing the folder wrote it first, its key wins.
      writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
      this.#key = createPrivateKey(pem);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      this.#key = createPrivateKey(readFileSync(path, 'utf8'));
    }
    return this.#key;
  }

  /** A signed token for `req.user`. */
  mint(req: MintRequest): string {
    const iat = Math.floor(req.now / 1000);
    const exp = Math.floor((req.now + req.ttlMs) / 1000);
    const jwk = { ...createPublicKey(req.publicKeyPem).export({ format: 'jwk' }), kid: 'session', use: 'sig', alg: 'RS256' };
    const header = { alg: 'RS256', typ: 'JWT', kid: 'asw' }; // [guess] kid
    const payload = {
      sub: req.user,
      tenant: req.tenancy, // [guess] claim name of the tenancy
      iss: ISSUER,
      aud: 'oci', // [guess]
      ptype: 'user', // [guess] principal type
      ttype: 'login', // [guess] token type
      iat,
      exp,
      sess_exp: String(exp), // a string, as the Java SDK reads it [code: oci-java-sdk]
      jti: randomUUID(),
      // A JSON string, not an object [guess: follows the instance-principal tokens' `jwk`].
      jwk: JSON.stringify(jwk),
    };
    const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const key = this.#signingKey(true) as KeyObject;
    return `${body}.${b64url(sign('sha256', Buffer.from(body), key))}`;
  }

  /**
   * Checks a token: this issuer's signature, not expired, a usable `jwk`.
   * @throws OciHttpError 401 NotAuthenticated, `detail` naming the failed check.
   */
  verify(token: string, now: number): SessionPrincipal {
    const parts = token.split('.');
    const header = decodePart(parts[0]);
    const claims = decodePart(parts[1]);
    if (parts.length !== 3 || header === undefined || claims === undefined) throw notAuthenticated('security token is not a JWT');
    if (header['alg'] !== 'RS256') throw notAuthenticated('security token is not signed with RS256');
    const key = this.#signingKey(false);
    if (key === undefined) throw notAuthenticated('security token was not signed by this emulator (it has issued none)');
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('sha256', signed, createPublicKey(key), Buffer.from(parts[2] ?? '', 'base64url'))) {
      throw notAuthenticated('security token was not signed by this emulator');
    }
    const { sub, tenant, exp, jwk } = claims;
    if (typeof exp !== 'number' || exp * 1000 <= now) throw notAuthenticated('security token has expired');
    if (typeof sub !== 'string' || typeof tenant !== 'string' || typeof jwk !== 'string') {
      throw notAuthenticated('security token lacks sub, tenant or jwk');
    }
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: JSON.parse(jwk) as JsonWebKey, format: 'jwk' });
    } catch {
      throw notAuthenticated('security token jwk is not a public key');
    }
    return { user: sub, tenancy: tenant, publicKey };
  }
}
