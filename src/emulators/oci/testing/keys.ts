/** Test key material, generated at run time (no private key is ever committed). */
import { createHash, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

/** An RSA pair as PEM strings. */
export interface TestKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** `count` RSA pairs of `bits`, generated in parallel on the libuv pool. */
export async function testKeyPairs(count: number, bits = 2048): Promise<TestKeyPair[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const { privateKey, publicKey } = await generate('rsa', {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      return { privateKeyPem: privateKey, publicKeyPem: publicKey };
    }),
  );
}

/**
 * The OCI fingerprint computed without Node's key parser: the body of a
 * `BEGIN PUBLIC KEY` PEM *is* the SPKI DER, so MD5 its base64-decoded bytes.
 */
export function independentFingerprint(spkiPem: string): string {
  const b64 = spkiPem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const hex = createHash('md5').update(Buffer.from(b64, 'base64')).digest('hex');
  return hex.replace(/(..)(?!$)/g, '$1:');
}
