/**
 * The passphrase of a BDS key. The real service encrypts the generated private key with it
 * and needs it again for TestBdsObjectStorageConnection (providers/oci.md §2.3). The
 * emulator keeps no private key at all and only a salted scrypt hash of the passphrase,
 * which is enough to tell whether a later passphrase is the same. A plain sha256 would let
 * anyone holding the data file test guesses at full speed; scrypt with a salt does not.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { PassphraseCheck } from './document.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

const HASH_BYTES = 32;

/** A new salted hash of `passphrase`. */
export async function hashPassphrase(passphrase: string): Promise<PassphraseCheck> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(passphrase, salt, HASH_BYTES);
  return { salt: salt.toString('base64'), hash: hash.toString('base64') };
}

/** True when `passphrase` is the one `check` was made from. */
export async function passphraseMatches(passphrase: string, check: PassphraseCheck): Promise<boolean> {
  const expected = Buffer.from(check.hash, 'base64');
  const actual = await scryptAsync(passphrase, Buffer.from(check.salt, 'base64'), expected.length || HASH_BYTES);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The same check without yielding, for code that must not await between reading and
 * writing the store (a replayed create). Costs one scrypt (tens of ms) on the event loop.
 */
export function passphraseMatchesSync(passphrase: string, check: PassphraseCheck): boolean {
  const expected = Buffer.from(check.hash, 'base64');
  const actual = scryptSync(passphrase, Buffer.from(check.salt, 'base64'), expected.length || HASH_BYTES);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True for standard base64 (with padding), the form the field doc asks for. */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}
