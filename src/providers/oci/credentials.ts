/**
 * Builds the OCI SDK authentication provider for one `oci` provider block: either from
 * an OCI config file profile, or from the bootstrap credentials of the sandbox emulator
 * the engine started (`endpoint: sandbox`). Every problem is a KeyplanError naming the
 * file and profile, checked here at configure time rather than surfacing later as an
 * SDK stack trace or a 401 on the first call.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import * as common from 'oci-common';
import { KeyplanError } from '../../errors/errors.js';
import type { ConfigureRequest } from '../contract.js';
import { expandPath } from '../shared/files.js';
import { startedSandbox } from '../shared/sandbox.js';
import { usableSettings } from '../shared/settings-problems.js';
import { readOciProfile, type OciConfigProfile } from './config-file.js';
import { configFileFrom, envIsComplete, profileFrom, unsupportedAuth, withEnvOverrides } from './credentials-env.js';
import { authMethodOf, sessionAuth } from './session-auth.js';
import { fingerprintOf } from './keygen.js';
import { parseOciSettings, SANDBOX_ENDPOINT, type OciSettings } from './settings.js';
import { OCI_CODES } from './codes.js';

/** Who keyplan signs Identity requests as, and where it sends them. */
export interface OciCredentials {
  readonly auth: common.AuthenticationDetailsProvider;
  readonly tenancy: string;
  /** The calling user (not necessarily the owner of the keys being managed). */
  readonly user: string;
  readonly region: string;
  /** Base URL (the SDK appends `/20160918`) replacing the region's public endpoint. */
  readonly endpoint?: string;
  /** For messages: `profile [X] of /path/config` or `sandbox`. */
  readonly origin: string;
  readonly settings: OciSettings;
  /** Added to a 401's message: which credentials OCI refused and what renews them (session tokens). */
  readonly refusedHint?: string;
}

/**
 * Resolves the provider block of `req` into credentials.
 * @throws ConfigError for invalid settings, KeyplanError for unusable config files and
 *   keys, InternalError when `endpoint: sandbox` arrives without a started sandbox.
 */
export async function resolveOciCredentials(req: ConfigureRequest): Promise<OciCredentials> {
  const settings = usableSettings(req.block.name, parseOciSettings(req.block), OCI_CODES.settings);
  if (settings.endpoint === SANDBOX_ENDPOINT) return fromSandbox(req, settings);
  return fromConfigFile(req, settings);
}

/** Maps a region id to the SDK's Region, registering unknown ids in the OC1 realm as the SDK does. */
export function regionFor(regionId: string): common.Region {
  return common.Region.fromRegionId(regionId) ?? common.Region.register(regionId, common.Realm.OC1);
}

function fromSandbox(req: ConfigureRequest, settings: OciSettings): OciCredentials {
  const sandbox = startedSandbox(req, 'sandbox credentials');
  const { need } = sandbox;
  const [tenancy, user, fingerprint, pem] = [need('tenancy'), need('user'), need('fingerprint'), need('privateKeyPem')];
  const region = settings.region ?? need('region');
  return {
    auth: new common.SimpleAuthenticationDetailsProvider(tenancy, user, fingerprint, pem, null, regionFor(region)),
    tenancy,
    user,
    region,
    endpoint: sandbox.url,
    origin: 'sandbox',
    settings,
  };
}

async function fromConfigFile(req: ConfigureRequest, settings: OciSettings): Promise<OciCredentials> {
  const home = req.env['HOME'] ?? homedir();
  const { path: configFile, named } = configFileFrom(settings.configFile, req.env);
  const file = expandPath(configFile, req.baseDir, home);
  const profileName = profileFrom(settings.profile, req.env);
  const authProblem = unsupportedAuth(req.env);
  if (authProblem !== undefined) {
    throw new KeyplanError(`provider "${req.block.name}": ${authProblem}`, { code: OCI_CODES.configProfileUnusable, source: 'user' });
  }
  const profile = await profileOrEnvOnly(file, profileName, named, req.env);
  const origin = profile === undefined ? 'the OCI_CLI_* environment variables' : `profile [${profile.profile}] of ${file}`;
  const fail = (why: string, cause?: unknown): never => {
    throw new KeyplanError(`OCI config ${origin}: ${why}`, { code: OCI_CODES.configProfileUnusable, source: 'user', cause });
  };
  if (authMethodOf(profile?.values ?? {}, req.env) === 'security_token') {
    if (profile === undefined) fail('OCI_CLI_AUTH=security_token needs a config file profile with security_token_file');
    return fromSessionProfile(req, settings, profile as OciConfigProfile, origin, fail);
  }
  const v = withEnvOverrides(profile?.values ?? {}, req.env);
  const missing = ['tenancy', 'user', 'fingerprint', 'key_file'].filter((k) => !v[k]);
  const region = settings.region ?? v['region'];
  if (!region) missing.push('region');
  if (missing.length > 0) fail(`missing ${missing.join(', ')} (neither in the profile nor in [DEFAULT])`);
  const keyFile = expandPath(String(v['key_file']), profile === undefined ? req.baseDir : dirname(file), home);
  let pem = '';
  try {
    pem = await readFile(keyFile, 'utf8');
  } catch (err) {
    fail(`key_file ${keyFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
  const passphrase = passphraseFor(req, settings, profile, origin);
  const key = loadPrivateKey(pem, passphrase, keyFile, fail);
  const declared = String(v['fingerprint']).toLowerCase();
  const actual = fingerprintOf(createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString());
  if (declared !== actual) {
    fail(`fingerprint ${declared} does not match key_file ${keyFile} (its fingerprint is ${actual})`);
  }
  const [tenancy, user] = [String(v['tenancy']), String(v['user'])];
  return {
    auth: new common.SimpleAuthenticationDetailsProvider(tenancy, user, actual, pem, passphrase, regionFor(String(region))),
    tenancy,
    user,
    region: String(region),
    endpoint: settings.endpoint,
    origin,
    settings,
  };
}

/**
 * A session-token profile: the SDK's SessionAuthDetailProvider reads the file itself, so
 * the OCI_CLI_* overrides of user, key and fingerprint do not apply (region still does),
 * and paths must mean the same to it as to keyplan: absolute or `~/`.
 */
async function fromSessionProfile(
  req: ConfigureRequest,
  settings: OciSettings,
  profile: OciConfigProfile,
  origin: string,
  fail: (why: string, cause?: unknown) => never,
): Promise<OciCredentials> {
  const v = profile.values;
  const missing = ['security_token_file', 'key_file', 'fingerprint', 'tenancy', 'region'].filter((k) => !v[k]);
  if (missing.length > 0) fail(`session-token profile is missing ${missing.join(', ')} (neither in the profile nor in [DEFAULT])`);
  const home = req.env['HOME'] ?? homedir();
  const pathOf = (field: string): string => {
    const raw = String(v[field]);
    // The SDK resolves a relative path against the working directory, keyplan against the config file.
    if (!isAbsolute(raw) && !raw.startsWith('~/')) fail(`${field} ${raw} must be an absolute path or start with ~/ in a session-token profile`);
    return expandPath(raw, dirname(profile.file), home);
  };
  const region = settings.region ?? req.env['OCI_CLI_REGION'] ?? String(v['region']);
  const input = {
    configFile: profile.file,
    profile: profile.profile,
    tokenFile: pathOf('security_token_file'),
    keyFile: pathOf('key_file'),
    passphrase: v['pass_phrase'] || null,
    region,
    now: Date.now(),
  };
  const { auth, user } = await sessionAuth(input, fail);
  const tenancy = String(v['tenancy']);
  const refusedHint = `OCI refused the session token of ${origin}; if it was revoked or has expired, run \`oci session refresh --profile ${profile.profile}\` or \`oci session authenticate\``;
  return { auth, tenancy, user, region, endpoint: settings.endpoint, origin: `session token of ${origin}`, settings, refusedHint };
}

/**
 * The profile, or undefined when no config file exists where nothing named one and the
 * OCI_CLI_* variables alone say who to sign as.
 */
async function profileOrEnvOnly(file: string, name: string, named: boolean, env: ConfigureRequest['env']): Promise<OciConfigProfile | undefined> {
  if (!named && envIsComplete(env) && !(await exists(file))) return undefined;
  return readOciProfile(file, name);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function passphraseFor(req: ConfigureRequest, settings: OciSettings, profile: OciConfigProfile | undefined, origin: string): string | null {
  if (settings.passPhraseEnv !== undefined) {
    const value = req.env[settings.passPhraseEnv];
    if (value === undefined || value === '') {
      // Name the variable, never a value.
      throw new KeyplanError(
        `provider "${req.block.name}": environment variable ${settings.passPhraseEnv} (pass_phrase_env) is not set; it should hold the passphrase of the key of ${origin}`,
        { code: OCI_CODES.passPhraseEnvMissing, source: 'user' },
      );
    }
    return value;
  }
  return profile?.values['pass_phrase'] || null;
}

function loadPrivateKey(pem: string, passphrase: string | null, keyFile: string, fail: (why: string, cause?: unknown) => never): KeyObject {
  try {
    const key = createPrivateKey(passphrase === null ? pem : { key: pem, passphrase });
    if (key.asymmetricKeyType !== 'rsa') fail(`key_file ${keyFile} is not an RSA private key`);
    return key;
  } catch (err) {
    if (err instanceof KeyplanError) throw err;
    const encrypted = /ENCRYPTED/.test(pem);
    const why =
      encrypted && passphrase === null
        ? 'is encrypted and no passphrase was given (pass_phrase in the profile, or pass_phrase_env)'
        : encrypted
          ? 'cannot be decrypted with the given passphrase'
          : 'is not a readable PEM private key';
    // The cause is Node's error object: a code and a message, never key bytes.
    return fail(`key_file ${keyFile} ${why}`, err);
  }
}
