/**
 * Checking an uploaded public key the way OCI Identity does (providers/oci.md §1.3, §1.4):
 * RSA only, PEM only (not `ssh-rsa`), at least 2048 bits; the fingerprint is the MD5 of
 * the SubjectPublicKeyInfo DER, lower-case hex pairs joined by colons.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { invalidParameter, type OciHttpError } from './errors.js';

/** Smallest RSA modulus OCI accepts. */
export const MIN_RSA_BITS = 2048;

/** An accepted key: its fingerprint and the PEM text as the service stores it. */
export interface AcceptedKey {
  readonly fingerprint: string;
  /** The uploaded PEM with trailing whitespace removed, as the real service returns it (tf #617). */
  readonly keyValue: string;
}

/** MD5 over the SPKI DER, `aa:bb:…` (47 characters). Hashing the PKCS#1 DER would give another value. */
export function fingerprintOf(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  const hex = createHash('md5').update(der).digest('hex');
  return (hex.match(/../g) ?? []).join(':');
}

// Only public-key PEM blocks are accepted. createPublicKey would also derive a public key
// from a *private* key PEM; a client that uploads its private key has a bug worth a 400.
const PUBLIC_PEM = /^\s*-----BEGIN (RSA )?PUBLIC KEY-----[\s\S]+-----END (RSA )?PUBLIC KEY-----\s*$/;

/** Validates `pem` and computes its fingerprint, or returns the 400 to answer. */
export function acceptUploadedKey(pem: string): AcceptedKey | OciHttpError {
  if (!PUBLIC_PEM.test(pem)) {
    return invalidParameter('The key must be an RSA public key in PEM format.');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return invalidParameter('The key must be an RSA public key in PEM format.');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return invalidParameter(`The key must be an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}.`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return invalidParameter(`The RSA key must be at least ${MIN_RSA_BITS} bits long, got ${bits}.`);
  }
  return { fingerprint: fingerprintOf(key), keyValue: pem.replace(/\s+$/, '') };
}
