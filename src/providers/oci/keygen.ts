/**
 * RSA key pairs for OCI IAM API signing keys (providers/oci.md §1.3–§1.5).
 *
 * The private key leaves this module only inside a `Secret`: PKCS#8 PEM, encrypted with
 * the passphrase (aes-256-cbc) unless the config explicitly said `passphrase: none`,
 * followed by the `OCI_API_KEY` label line OCI's leak scanner looks for. The public key
 * is SPKI PEM, the form UploadApiKey expects; its fingerprint is MD5 over the SPKI DER.
 */
import { createHash, createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { KeyplanError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import { OCI_CODES } from './codes.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** RSA modulus sizes keyplan generates; OCI requires at least 2048 bits. */
export const ALLOWED_KEY_BITS: readonly number[] = [2048, 3072, 4096];

/** Modulus size used when a key declares no `bits`. */
export const DEFAULT_KEY_BITS = 2048;

/** The last line of a private key file, so OCI can flag the key if it leaks (§1.5). */
export const OCI_API_KEY_LABEL = 'OCI_API_KEY';

/** Options of {@link generateApiKeyPair}. */
export interface KeyGenOptions {
  /** RSA modulus length, one of {@link ALLOWED_KEY_BITS}. @default 2048 */
  readonly bits?: number;
  /** Encrypts the private key; `null` only when the config said `passphrase: none`. */
  readonly passphrase: Secret | null;
}

/** A freshly generated key pair. */
export interface ApiKeyPair {
  /** PKCS#8 PEM (encrypted unless the passphrase was null) plus the `OCI_API_KEY` line. */
  readonly privateKeyPem: Secret;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`), the body of UploadApiKey. */
  readonly publicKeyPem: string;
  /** MD5 of the SPKI DER, lowercase hex pairs joined by `:` (what OCI reports). */
  readonly fingerprint: string;
  readonly bits: number;
  /** Whether the private key PEM is passphrase-encrypted. */
  readonly encrypted: boolean;
}

/**
 * Generates an RSA key pair. `crypto.generateKeyPair` (the async one) runs on libuv's
 * thread pool, so a 4096-bit key (seconds of CPU) does not block the event loop and
 * several creates can generate in parallel.
 */
export async function generateApiKeyPair(options: KeyGenOptions): Promise<ApiKeyPair> {
  const bits = options.bits ?? DEFAULT_KEY_BITS;
  if (!ALLOWED_KEY_BITS.includes(bits)) {
    throw new KeyplanError(`oci.api_key: bits must be one of ${ALLOWED_KEY_BITS.join(', ')}, got ${String(bits)}`, {
      code: OCI_CODES.unsupportedBits,
      source: 'user',
    });
  }
  const passphrase = options.passphrase?.reveal() ?? null;
  if (passphrase === '') {
    // An empty passphrase would silently give an unencrypted key; only `passphrase: none` may.
    throw new KeyplanError('oci.api_key: the passphrase is empty', {
      code: OCI_CODES.emptyPassphrase,
      source: 'user',
    });
  }
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: passphrase === null ? { type: 'pkcs8', format: 'pem' } : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  return {
    privateKeyPem: new Secret(withLabel(privateKey)),
    publicKeyPem: publicKey,
    fingerprint: fingerprintOf(publicKey),
    bits,
    encrypted: passphrase !== null,
  };
}

/**
 * The OCI fingerprint of a public key: MD5 of the DER-encoded SubjectPublicKeyInfo,
 * 16 lowercase hex pairs joined by `:` (`openssl rsa -pubout -outform DER | openssl md5 -c`).
 * Accepts SPKI or PKCS#1 PEM; both are normalised to SPKI first, because hashing the
 * PKCS#1 DER gives a different (wrong) value.
 */
export function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const hex = createHash('md5').update(der).digest('hex');
  return hex.match(/../g)?.join(':') ?? hex;
}

/** RSA modulus length of a public key PEM, or undefined if it cannot be parsed. */
export function bitsOf(publicKeyPem: string): number | undefined {
  try {
    return createPublicKey(publicKeyPem).asymmetricKeyDetails?.modulusLength;
  } catch {
    // Listing must not fail because the service returned a key text we cannot parse.
    return undefined;
  }
}

function withLabel(pem: string): string {
  return `${pem.endsWith('\n') ? pem : `${pem}\n`}${OCI_API_KEY_LABEL}\n`;
}
