/**
 * GitHub's secret encryption: a libsodium sealed box (`crypto_box_seal`, an anonymous
 * sender's X25519 + XSalsa20-Poly1305) for the place's Curve25519 public key, sent as
 * standard base64. Only the holder of the place's private key (GitHub) can open it.
 */
import sodium from 'libsodium-wrappers';

/** A public key GitHub published that is not a 32-byte Curve25519 key in base64. */
export class BadPublicKey extends Error {}

/** Seals `value` for `publicKey` (base64, as GitHub publishes it); returns the box in base64. */
export async function sealForGithub(value: string, publicKey: string): Promise<string> {
  await sodium.ready;
  let key: Uint8Array;
  try {
    key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
  } catch {
    throw new BadPublicKey('the public key is not base64');
  }
  if (key.length !== sodium.crypto_box_PUBLICKEYBYTES)
    throw new BadPublicKey(`the public key has ${key.length} bytes, not ${sodium.crypto_box_PUBLICKEYBYTES}`);
  return sodium.to_base64(sodium.crypto_box_seal(value, key), sodium.base64_variants.ORIGINAL);
}
