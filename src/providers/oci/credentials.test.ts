/** OCI config file parsing, DEFAULT inheritance and credential resolution, on temp files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, InternalError, KeyplanError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import type { ConfigureRequest } from '../contract.js';
import { parseOciConfig, readOciProfile, selectProfile } from './config-file.js';
import { resolveOciCredentials } from './credentials.js';
import { generateApiKeyPair, type ApiKeyPair } from './keygen.js';

const TENANCY = 'ocid1.tenancy.oc1..tenant';
const USER = 'ocid1.user.oc1..default';
const ADMIN = 'ocid1.user.oc1..admin';
const PASS = 'config-file passphrase';

let plain: ApiKeyPair;
let encrypted: ApiKeyPair;
beforeAll(async () => {
  [plain, encrypted] = await Promise.all([generateApiKeyPair({ passphrase: null }), generateApiKeyPair({ passphrase: new Secret(PASS) })]);
});

/** A temp folder with the given files; removed when the test ends. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-oci-cred-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return dir;
}

function configText(): string {
  return [
    '# comment',
    '[DEFAULT]',
    `user=${USER}`,
    `fingerprint=${plain.fingerprint}`,
    'key_file=default.pem',
    `tenancy = ${TENANCY}`,
    'region=us-ashburn-1',
    '',
    '; configparser-style comment',
    '[ADMIN]',
    `user: ${ADMIN}`,
    `fingerprint=${encrypted.fingerprint.toUpperCase()}`,
    'key_file=admin.pem',
    `pass_phrase=${PASS}`,
  ].join('\n');
}

function request(settings: Record<string, unknown>, extra: Partial<ConfigureRequest> = {}): ConfigureRequest {
  return { block: { name: 'oci', type: 'oci', settings }, baseDir: '/nonexistent', env: {}, ...extra };
}

describe('parseOciConfig / selectProfile', () => {
  it('inherits missing keys from DEFAULT, key by key', () => {
    const sections = parseOciConfig(configText(), 'cfg');
    const admin = selectProfile(sections, 'cfg', 'ADMIN').values;
    expect(admin).toMatchObject({ user: ADMIN, key_file: 'admin.pem', tenancy: TENANCY, region: 'us-ashburn-1' });
    expect(selectProfile(sections, 'cfg', 'DEFAULT').values['user']).toBe(USER);
  });

  it('reports malformed lines with file and line number', () => {
    expect(() => parseOciConfig('user=x\n', '/c')).toThrow('/c:1: `user` appears before any [PROFILE] header');
    expect(() => parseOciConfig('[A]\njust words\n', '/c')).toThrow('/c:2: expected `key = value` or `[PROFILE]`');
    expect(() => parseOciConfig('[ ]\n', '/c')).toThrow('/c:1: empty profile name');
  });

  it('names the file, the profile and the profiles that exist when one is missing', () => {
    const sections = parseOciConfig(configText(), '/home/u/.oci/config');
    expect(() => selectProfile(sections, '/home/u/.oci/config', 'PROD')).toThrow(
      'OCI config file /home/u/.oci/config has no profile [PROD] (profiles: DEFAULT, ADMIN)',
    );
  });

  it('names the file and profile when the file is missing', async () => {
    const err = await readOciProfile('/nope/config', 'CI').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyplanError);
    expect((err as KeyplanError).message).toBe('OCI config file /nope/config does not exist; it was to supply profile [CI]');
    expect((err as KeyplanError).source).toBe('user');
  });
});

describe('resolveOciCredentials from a config file', () => {
  function files(): string {
    return tree({
      config: configText(),
      'default.pem': plain.privateKeyPem.reveal(),
      'admin.pem': encrypted.privateKeyPem.reveal(),
    });
  }

  it('uses DEFAULT with a relative config_file and key_file', async () => {
    const dir = files();
    const c = await resolveOciCredentials(request({ config_file: 'config' }, { baseDir: dir }));
    expect(c).toMatchObject({ tenancy: TENANCY, user: USER, region: 'us-ashburn-1', origin: `profile [DEFAULT] of ${dir}/config` });
    expect(c.endpoint).toBeUndefined();
    expect(await c.auth.getKeyId()).toBe(`${TENANCY}/${USER}/${plain.fingerprint}`);
  });

  it('uses a named profile with inherited tenancy and region, an encrypted key, ~ and a region override', async () => {
    const dir = files();
    const c = await resolveOciCredentials(
      request({ config_file: '~/config', profile: 'ADMIN', region: 'eu-frankfurt-1', endpoint: 'http://127.0.0.1:9' }, { env: { HOME: dir } }),
    );
    expect(c).toMatchObject({ tenancy: TENANCY, user: ADMIN, region: 'eu-frankfurt-1', endpoint: 'http://127.0.0.1:9' });
    expect(await c.auth.getKeyId()).toBe(`${TENANCY}/${ADMIN}/${encrypted.fingerprint}`);
  });

  it('takes the passphrase from pass_phrase_env and names a missing variable, never a value', async () => {
    const dir = tree({
      config: `[DEFAULT]\nuser=${USER}\nfingerprint=${encrypted.fingerprint}\nkey_file=k.pem\ntenancy=${TENANCY}\nregion=us-phoenix-1\n`,
      'k.pem': encrypted.privateKeyPem.reveal(),
    });
    const settings = { config_file: join(dir, 'config'), pass_phrase_env: 'OCI_PASS' };
    const c = await resolveOciCredentials(request(settings, { env: { OCI_PASS: PASS } }));
    expect(c.user).toBe(USER);
    await expect(resolveOciCredentials(request(settings))).rejects.toThrow(/environment variable OCI_PASS \(pass_phrase_env\) is not set/);
    const wrong = await resolveOciCredentials(request(settings, { env: { OCI_PASS: 'nope' } })).catch((e: unknown) => e);
    expect(String((wrong as Error).message)).toMatch(/k\.pem cannot be decrypted with the given passphrase/);
    expect(JSON.stringify(wrong)).not.toContain('nope');
  });

  it('explains missing keys, a missing profile, a wrong fingerprint and an unreadable key file', async () => {
    const dir = tree({
      config: `[DEFAULT]\nuser=${USER}\nkey_file=k.pem\n[BAD]\nfingerprint=${encrypted.fingerprint}\ntenancy=t\nregion=r\n[GONE]\nfingerprint=${plain.fingerprint}\ntenancy=t\nregion=r\nkey_file=missing.pem\n`,
      'k.pem': plain.privateKeyPem.reveal(),
    });
    const cfg = join(dir, 'config');
    await expect(resolveOciCredentials(request({ config_file: cfg }))).rejects.toThrow(
      `OCI config profile [DEFAULT] of ${cfg}: missing tenancy, fingerprint, region (neither in the profile nor in [DEFAULT])`,
    );
    await expect(resolveOciCredentials(request({ config_file: cfg, profile: 'NOPE' }))).rejects.toThrow(
      `OCI config file ${cfg} has no profile [NOPE] (profiles: DEFAULT, BAD, GONE)`,
    );
    await expect(resolveOciCredentials(request({ config_file: cfg, profile: 'BAD' }))).rejects.toThrow(
      `fingerprint ${encrypted.fingerprint} does not match key_file ${dir}/k.pem (its fingerprint is ${plain.fingerprint})`,
    );
    await expect(resolveOciCredentials(request({ config_file: cfg, profile: 'GONE' }))).rejects.toThrow(`key_file ${dir}/missing.pem cannot be read (ENOENT)`);
  });

  it('rejects invalid settings with a ConfigError carrying one diagnostic per setting', async () => {
    const err = await resolveOciCredentials(request({ profile: 3, endpoint: 'ftp://x', max_attempts: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).diagnostics.map((d) => d.path)).toEqual(['providers.oci.profile', 'providers.oci.endpoint', 'providers.oci.max_attempts']);
  });
});

describe('resolveOciCredentials from the sandbox', () => {
  it('uses the bootstrap credentials and the sandbox URL', async () => {
    const credentials = { tenancy: TENANCY, user: ADMIN, fingerprint: plain.fingerprint, privateKeyPem: plain.privateKeyPem.reveal(), region: 'us-ashburn-1' };
    const c = await resolveOciCredentials(request({ endpoint: 'sandbox' }, { sandbox: { url: 'http://127.0.0.1:4444', credentials } }));
    expect(c).toMatchObject({ tenancy: TENANCY, user: ADMIN, region: 'us-ashburn-1', endpoint: 'http://127.0.0.1:4444', origin: 'sandbox' });
  });

  it('is an internal error when the engine started no sandbox', async () => {
    await expect(resolveOciCredentials(request({ endpoint: 'sandbox' }))).rejects.toBeInstanceOf(InternalError);
  });
});
