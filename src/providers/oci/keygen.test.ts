/** Key generation: formats, encryption, label line, fingerprint against the openssl CLI. */
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../model/secret.js';
import { bitsOf, fingerprintOf, generateApiKeyPair, OCI_API_KEY_LABEL } from './keygen.js';
import { pemBegin } from '../../../test/helpers/pem.js';

const PASS = 'correct horse battery staple';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('generateApiKeyPair', () => {
  it('encrypts the PKCS#8 private key with the passphrase and appends the label line', async () => {
    const pair = await generateApiKeyPair({ passphrase: new Secret(PASS) });
    const pem = pair.privateKeyPem.reveal();
    expect(pair.bits).toBe(2048);
    expect(pair.encrypted).toBe(true);
    expect(pem.startsWith(`${pemBegin('ENCRYPTED PRIVATE KEY')}\n`)).toBe(true);
    expect(pem.endsWith(`-----END ENCRYPTED PRIVATE KEY-----\n${OCI_API_KEY_LABEL}\n`)).toBe(true);
    expect(pair.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----')).toBe(true);

    const key = createPrivateKey({ key: pem, passphrase: PASS });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(() => createPrivateKey({ key: pem })).toThrow();
    expect(() => createPrivateKey({ key: pem, passphrase: 'wrong' })).toThrow();
    // The private key belongs to the public key and the fingerprint.
    const derivedPub = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
    expect(fingerprintOf(derivedPub)).toBe(pair.fingerprint);
  });

  it('keeps the private key inside a Secret', async () => {
    const pair = await generateApiKeyPair({ passphrase: new Secret(PASS) });
    expect(pair.privateKeyPem).toBeInstanceOf(Secret);
    expect(JSON.stringify(pair)).not.toContain('PRIVATE KEY');
    expect(`${String(pair.privateKeyPem)}`).not.toContain('PRIVATE KEY');
  });

  it('writes an unencrypted PKCS#8 key only when the passphrase is null', async () => {
    const pair = await generateApiKeyPair({ passphrase: null });
    const pem = pair.privateKeyPem.reveal();
    expect(pair.encrypted).toBe(false);
    expect(pem.startsWith(`${pemBegin('PRIVATE KEY')}\n`)).toBe(true);
    expect(pem.endsWith(`-----END PRIVATE KEY-----\n${OCI_API_KEY_LABEL}\n`)).toBe(true);
    expect(createPrivateKey(pem).asymmetricKeyType).toBe('rsa');
  });

  it('refuses an empty passphrase and unsupported sizes', async () => {
    await expect(generateApiKeyPair({ passphrase: new Secret('') })).rejects.toThrow(/passphrase is empty/);
    await expect(generateApiKeyPair({ bits: 1024, passphrase: null })).rejects.toThrow(/bits must be one of 2048, 3072, 4096, got 1024/);
  });

  it('honours bits: 4096', async () => {
    const pair = await generateApiKeyPair({ bits: 4096, passphrase: new Secret(PASS) });
    expect(pair.bits).toBe(4096);
    expect(createPrivateKey({ key: pair.privateKeyPem.reveal(), passphrase: PASS }).asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(bitsOf(pair.publicKeyPem)).toBe(4096);
  }, 60_000);
});

describe('fingerprintOf', () => {
  it('is the MD5 of the SPKI DER, lowercase and colon-separated', async () => {
    const { publicKeyPem, fingerprint } = await generateApiKeyPair({ passphrase: null });
    const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    const md5 = createHash('md5').update(der).digest('hex');
    expect(fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(fingerprint.replaceAll(':', '')).toBe(md5);
    // PKCS#1 input is normalised to SPKI first.
    const pkcs1 = createPublicKey(publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(fingerprintOf(pkcs1)).toBe(fingerprint);
  });

  it.runIf(hasOpenssl())('matches `openssl rsa -pubout -outform DER | openssl md5 -c`', async () => {
    const pair = await generateApiKeyPair({ passphrase: new Secret(PASS) });
    // openssl reads the encrypted key, label line and all, with the passphrase.
    const der = execFileSync('openssl', ['rsa', '-pubout', '-outform', 'DER', '-passin', 'stdin'], {
      input: `${PASS}\n${pair.privateKeyPem.reveal()}`,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const out = execFileSync('openssl', ['md5', '-c'], { input: der }).toString();
    expect(out.trim().split(/\s+/).pop()).toBe(pair.fingerprint);
  });
});
