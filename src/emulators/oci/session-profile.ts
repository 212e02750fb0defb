/**
 * `keyplan sandbox session-token`: what `oci session authenticate` does, against the
 * sandbox instead of a browser login. It makes a session key pair, has the emulator's
 * issuer sign a token for a user, and writes the files the OCI CLI writes
 * (`<config dir>/sessions/<PROFILE>/{oci_api_key.pem,token}`) plus a profile with
 * `security_token_file` and no `user`, so keyplan (and the SDK) sign as that user.
 * Works on the data folder alone: no emulator needs to be running.
 */
import { createPublicKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import { KeyplanError } from '../../errors/errors.js';
import { SANDBOX_CODES } from '../../errors/codes.js';
import { mergeProfile } from '../../providers/oci/outputs/profile-merge.js';
import { readFileIfExists, writeFileAtomic } from '../shared/index.js';
import { generateRsaKeyPair, openStore } from './credentials.js';
import { resolveOptions } from './options.js';
import { fingerprintOf } from './public-key.js';
import { TokenIssuer } from './session-tokens.js';

/** [guess] Real session tokens last about an hour (`oci session refresh` extends them). */
export const DEFAULT_SESSION_TTL_MS = 60 * 60 * 1000;

/** Marker owner of the profiles this writes (the config file's other profiles stay as they are). */
const OWNER = 'sandbox session-token';

/** What to mint. */
export interface SandboxSessionRequest {
  /** The OCI emulator's data folder (`<sandbox data>/oci`). */
  readonly dataDir: string;
  /** Absolute path of the OCI config file to add the profile to. */
  readonly configFile: string;
  readonly profile: string;
  /** User OCID the session acts as; default: the sandbox's tenancy administrator. */
  readonly user?: string;
  readonly ttlMs?: number;
}

/** What was written (no token, no key). */
export interface SandboxSession {
  readonly configFile: string;
  readonly profile: string;
  readonly user: string;
  readonly tenancy: string;
  /** RFC 3339 expiry of the token. */
  readonly expiresAt: string;
}

function refuse(why: string): never {
  throw new KeyplanError(`sandbox session-token: ${why}`, { code: SANDBOX_CODES.sessionProfile, source: 'user' });
}

/** Mints a session for `req.user` and writes its token, key and profile. */
export async function writeSandboxSession(req: SandboxSessionRequest): Promise<SandboxSession> {
  if (!/^[A-Za-z0-9_.-]+$/.test(req.profile)) refuse(`profile name "${req.profile}" must be letters, digits, _ . or -`);
  const { store, admin } = await openStore(resolveOptions({ dataDir: req.dataDir }));
  const user = req.user ?? admin.user;
  if (!user.startsWith('ocid1.user.')) refuse(`--user must be a user OCID (ocid1.user.…), got "${user}"`);
  store.sync();
  if (!store.hasUser(user)) {
    // The sandbox creates the users keys.yaml names on first use; a session may come first.
    store.ensureUser(user);
    store.commit();
  }
  const pair = await generateRsaKeyPair();
  const now = Date.now();
  const ttlMs = req.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const token = TokenIssuer.open(req.dataDir).mint({ tenancy: store.tenancy, user, publicKeyPem: pair.publicKeyPem, now, ttlMs });

  const sessionDir = join(dirname(req.configFile), 'sessions', req.profile);
  const keyFile = join(sessionDir, 'oci_api_key.pem');
  const tokenFile = join(sessionDir, 'token');
  const existing = readFileIfExists(req.configFile) ?? '';
  const merged = mergeProfile(existing, {
    profile: req.profile,
    owner: OWNER,
    entries: [
      ['fingerprint', fingerprintOf(createPublicKey(pair.publicKeyPem))],
      ['key_file', keyFile],
      ['tenancy', store.tenancy],
      ['region', admin.region],
      ['security_token_file', tokenFile],
    ],
  });
  if (merged.kind !== 'merged') refuse(`${req.configFile} already has a profile [${req.profile}] that this command did not write; pick another --profile`);
  writeFileAtomic(keyFile, pair.privateKeyPem, 0o600);
  writeFileAtomic(tokenFile, token, 0o600);
  writeFileAtomic(req.configFile, merged.text, 0o600);
  return {
    configFile: req.configFile,
    profile: req.profile,
    user,
    tenancy: store.tenancy,
    expiresAt: new Date(Math.floor((now + ttlMs) / 1000) * 1000).toISOString(),
  };
}
