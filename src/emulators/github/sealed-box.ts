/**
 * The emulator's half of GitHub's secret encryption: a Curve25519 key pair per repository,
 * environment and organization, and opening the libsodium sealed box (`crypto_box_seal`)
 * a client sent, which proves what arrived. GitHub publishes the public key as standard
 * base64 with a numeric `key_id`.
 */
import { randomInt } from 'node:crypto';
import sodium from 'libsodium-wrappers';

/** One key pair as stored: base64 (standard alphabet, padded), the way GitHub publishes keys. */
export interface StoredKeyPair {
  /** GitHub's key ids are long decimal strings, e.g. `568250167242549743`. */
  readonly keyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/** Loads libsodium (WebAssembly); await once before the other functions. */
export async function sealedBoxReady(): Promise<void> {
  await sodium.ready;
}

const B64 = (): number => sodium.base64_variants.ORIGINAL;

/** A fresh key pair with a new 18-digit key id. */
export function newKeyPair(): StoredKeyPair {
  const pair = sodium.crypto_box_keypair();
  const keyId = `${randomInt(1, 10)}${Array.from({ length: 17 }, () => randomInt(0, 10)).join('')}`;
  return { keyId, publicKey: sodium.to_base64(pair.publicKey, B64()), privateKey: sodium.to_base64(pair.privateKey, B64()) };
}

/** The plain text inside a base64 sealed box, or undefined when it does not open with this key pair. */
export function openSealedBox(encryptedValue: string, pair: StoredKeyPair): string | undefined {
  try {
    const opened = sodium.crypto_box_seal_open(
      sodium.from_base64(encryptedValue, B64()),
      sodium.from_base64(pair.publicKey, B64()),
      sodium.from_base64(pair.privateKey, B64()),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(opened);
  } catch {
    // A box sealed for another key, a truncated one, or bytes that are not UTF-8 text.
    return undefined;
  }
}
