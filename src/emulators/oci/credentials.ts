/**
 * Credentials the emulator hands out: the bootstrap tenancy administrator (created on the
 * first start and kept in the data folder) and test users. These are the sandbox's own
 * fake keys: they open nothing but this emulator.
 */
import { generateKeyPair, createPublicKey, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { mintOcid } from './ids.js';
import { fingerprintOf } from './public-key.js';
import { readFileIfExists, writeFileAtomic } from '../shared/index.js';
import { KeyStore, type StoredKey } from './store.js';
import { DEFAULT_REGION, type ResolvedOptions } from './options.js';

/** What an OCI SDK client needs to sign requests as one user. */
export interface OciCredentials {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
  /** Unencrypted PKCS#8 PEM. */
  readonly privateKeyPem: string;
  readonly region: string;
}

/** File name of the bootstrap admin's private key inside the data folder (mode 0600). */
export const ADMIN_KEY_FILE = 'admin-key.pem';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh RSA key pair (PEM), generated off the main thread. */
export async function generateRsaKeyPair(bits = 2048): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** A key record that is ACTIVE at once: bootstrap keys are usable immediately. */
export function activeKeyRecord(publicKeyPem: string, now: number): StoredKey {
  return {
    fingerprint: fingerprintOf(createPublicKey(publicKeyPem)),
    keyValue: publicKeyPem.replace(/\s+$/, ''),
    timeCreated: new Date(now).toISOString(),
    activeAt: now,
    etag: randomBytes(16).toString('hex'),
  };
}

/**
 * Gives `userId` a new ACTIVE key and returns its credentials (the caller commits).
 * Throws when the user already holds `limit` keys.
 */
export async function issueUserKey(store: KeyStore, userId: string, region: string, limit = Infinity): Promise<OciCredentials> {
  const pair = await generateRsaKeyPair();
  // Key generation yields to the event loop: look at the store only after it.
  store.sync();
  if (store.keysOf(userId).length >= limit) {
    throw new Error(`User \`${userId}\` already holds ${limit} keys; cannot give it another`);
  }
  const record = activeKeyRecord(pair.publicKeyPem, Date.now());
  store.ensureUser(userId);
  store.addKey(userId, record);
  return { tenancy: store.tenancy, user: userId, fingerprint: record.fingerprint, privateKeyPem: pair.privateKeyPem, region };
}

/**
 * Opens the store in the data folder, or creates a new tenancy with its administrator.
 * When the admin's private key file was lost, the bootstrap key is replaced by a new one,
 * so a damaged sandbox heals instead of locking its owner out. Other keys of the admin
 * user are left alone: their private halves belong to whoever uploaded them.
 */
export async function openStore(opts: ResolvedOptions): Promise<{ store: KeyStore; admin: OciCredentials }> {
  const store = new KeyStore(opts.dataDir, () => ({
    formatVersion: 1,
    tenancy: mintOcid('tenancy'),
    region: opts.region ?? DEFAULT_REGION,
    adminUser: mintOcid('user'),
    adminFingerprint: '',
    users: {},
    retryTokens: {},
  }));
  const region = opts.region ?? store.region;
  const keyPath = opts.dataDir === undefined ? undefined : join(opts.dataDir, ADMIN_KEY_FILE);
  const pem = keyPath === undefined ? undefined : readFileIfExists(keyPath);
  if (store.loaded && pem !== undefined) {
    const fingerprint = fingerprintOf(createPublicKey(pem));
    if (fingerprint === store.adminFingerprint && store.findKey(store.adminUser, fingerprint) !== undefined) {
      return { store, admin: { tenancy: store.tenancy, user: store.adminUser, fingerprint, privateKeyPem: pem, region } };
    }
  }
  store.removeKey(store.adminUser, store.adminFingerprint);
  const admin = await issueUserKey(store, store.adminUser, region);
  store.adminFingerprint = admin.fingerprint;
  // Key file before store: a store naming a key nobody can sign with is what we avoid.
  if (keyPath !== undefined) writeFileAtomic(keyPath, admin.privateKeyPem, 0o600);
  store.commit();
  return { store, admin };
}
