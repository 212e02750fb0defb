/** The OCI CLI's OCI_CLI_* variables, and their precedence under the keys.yaml provider block. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { KeyplanError } from '../../errors/errors.js';
import type { ConfigureRequest } from '../contract.js';
import { resolveOciCredentials } from './credentials.js';
import { generateApiKeyPair, type ApiKeyPair } from './keygen.js';

const TENANCY = 'ocid1.tenancy.oc1..tenant';
const USER = 'ocid1.user.oc1..fromfile';
const OTHER = 'ocid1.user.oc1..fromenv';

let first: ApiKeyPair;
let second: ApiKeyPair;
beforeAll(async () => {
  [first, second] = await Promise.all([generateApiKeyPair({ passphrase: null }), generateApiKeyPair({ passphrase: null })]);
});

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-oci-env-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'first.pem'), first.privateKeyPem.reveal(), { mode: 0o600 });
  writeFileSync(join(dir, 'second.pem'), second.privateKeyPem.reveal(), { mode: 0o600 });
  const profile = (name: string, user: string, pair: ApiKeyPair, pem: string, region: string): string =>
    `[${name}]\nuser=${user}\nfingerprint=${pair.fingerprint}\nkey_file=${join(dir, pem)}\ntenancy=${TENANCY}\nregion=${region}\n`;
  writeFileSync(
    join(dir, 'ci-config'),
    profile('DEFAULT', USER, first, 'first.pem', 'us-ashburn-1') + profile('CI', OTHER, second, 'second.pem', 'eu-paris-1'),
  );
  return dir;
}

function request(settings: Record<string, unknown>, env: Record<string, string>, baseDir: string): ConfigureRequest {
  return { block: { name: 'oci', type: 'oci', settings }, baseDir, env };
}

describe('OCI_CLI_* variables', () => {
  it('OCI_CLI_CONFIG_FILE and OCI_CLI_PROFILE choose the file and profile when keys.yaml names none', async () => {
    const dir = home();
    const c = await resolveOciCredentials(request({}, { HOME: dir, OCI_CLI_CONFIG_FILE: join(dir, 'ci-config'), OCI_CLI_PROFILE: 'CI' }, dir));
    expect(c).toMatchObject({ user: OTHER, region: 'eu-paris-1', origin: `profile [CI] of ${dir}/ci-config` });
  });

  it('keys.yaml settings come first: config_file, profile and region beat the variables', async () => {
    const dir = home();
    const env = { HOME: dir, OCI_CLI_CONFIG_FILE: '/nonexistent/config', OCI_CLI_PROFILE: 'CI', OCI_CLI_REGION: 'eu-paris-1' };
    const c = await resolveOciCredentials(request({ config_file: 'ci-config', profile: 'DEFAULT', region: 'us-phoenix-1' }, env, dir));
    expect(c).toMatchObject({ user: USER, region: 'us-phoenix-1' });
  });

  it('OCI_CLI_USER, _FINGERPRINT, _KEY_FILE and _REGION override the profile, as the OCI CLI does', async () => {
    const dir = home();
    const env = {
      HOME: dir,
      OCI_CLI_CONFIG_FILE: join(dir, 'ci-config'),
      OCI_CLI_USER: OTHER,
      OCI_CLI_FINGERPRINT: second.fingerprint,
      OCI_CLI_KEY_FILE: join(dir, 'second.pem'),
      OCI_CLI_REGION: 'ap-tokyo-1',
    };
    const c = await resolveOciCredentials(request({}, env, dir));
    expect(c).toMatchObject({ user: OTHER, tenancy: TENANCY, region: 'ap-tokyo-1' });
    expect(await c.auth.getKeyId()).toBe(`${TENANCY}/${OTHER}/${second.fingerprint}`);
  });

  it('signs from the variables alone when there is no config file', async () => {
    const dir = home();
    const env = {
      HOME: join(dir, 'empty-home'),
      OCI_CLI_USER: OTHER,
      OCI_CLI_TENANCY: TENANCY,
      OCI_CLI_FINGERPRINT: second.fingerprint,
      OCI_CLI_KEY_FILE: 'second.pem',
      OCI_CLI_REGION: 'eu-paris-1',
    };
    const c = await resolveOciCredentials(request({}, env, dir));
    expect(c).toMatchObject({ user: OTHER, region: 'eu-paris-1', origin: 'the OCI_CLI_* environment variables' });
  });

  it('refuses an OCI_CLI_AUTH method it cannot sign with, by name', async () => {
    const dir = home();
    const run = resolveOciCredentials(request({ config_file: 'ci-config' }, { HOME: dir, OCI_CLI_AUTH: 'instance_principal' }, dir));
    await expect(run).rejects.toThrow(KeyplanError);
    await expect(run).rejects.toThrow(/OCI_CLI_AUTH=instance_principal is not supported/);
    const ok = await resolveOciCredentials(request({ config_file: 'ci-config' }, { HOME: dir, OCI_CLI_AUTH: 'api_key' }, dir));
    expect(ok.user).toBe(USER);
  });
});
