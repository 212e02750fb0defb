/** Credential and endpoint resolution: config file profiles, OSC_* variables, precedence, errors. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, KeyplanError } from '../../errors/errors.js';
import { thrown } from '../../../test/helpers/errors.js';
import type { ConfigureRequest } from '../contract.js';
import { resolveOutscaleCredentials, type OutscaleConnection } from './credentials.js';
import { apiBaseUrl } from './endpoint.js';

const SK_A = 'A'.repeat(40);
const SK_B = 'B'.repeat(40);

function home(config?: unknown, at = '.osc/config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-osc-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  if (config !== undefined) {
    const file = join(dir, at);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  }
  return dir;
}

const req = (settings: Record<string, unknown>, env: Record<string, string>): ConfigureRequest => ({
  block: { name: 'osc', type: 'outscale', settings },
  baseDir: '/srv/project',
  env,
});

function signing(c: OutscaleConnection): { accessKey: string; secret: string } {
  if (c.auth.method !== 'signature') throw new Error('expected signature auth');
  return { accessKey: c.auth.accessKey, secret: c.auth.secretKey.reveal() };
}

const PROFILES = {
  default: { access_key: 'AKDEFAULT00000000000', secret_key: SK_A, region: 'us-east-2' },
  prod: { access_key: 'AKPROD00000000000000', secret_key: SK_B, region_name: 'cloudgouv-eu-west-1', endpoints: { api: 'api.example.test' }, protocol: 'http' },
  full: { access_key: 'AKFULL00000000000000', secret_key: SK_B, region: 'eu-west-2', endpoints: { api: 'https://proxy.example.test/oapi/' } },
  broken: { access_key: 'AKBROKEN000000000000' },
};

describe('resolveOutscaleCredentials', () => {
  it('reads the default profile of ~/.osc/config.json', async () => {
    const h = home(PROFILES);
    const c = await resolveOutscaleCredentials(req({}, { HOME: h }));
    expect(signing(c)).toEqual({ accessKey: 'AKDEFAULT00000000000', secret: SK_A });
    expect(c).toMatchObject({ region: 'us-east-2', baseUrl: 'https://api.us-east-2.outscale.com/api/v1', customEndpoint: false });
    expect(c.origin).toBe(`profile "default" of ${h}/.osc/config.json`);
    expect(c.auth.method === 'signature' && c.auth.scheme).toBe('OSC4');
  });

  it('takes the profile from the block, else OSC_PROFILE; legacy region_name and a scheme-less endpoint with protocol', async () => {
    const h = home(PROFILES);
    const fromEnv = await resolveOutscaleCredentials(req({}, { HOME: h, OSC_PROFILE: 'prod' }));
    expect(fromEnv).toMatchObject({ region: 'cloudgouv-eu-west-1', baseUrl: 'http://api.example.test/api/v1', customEndpoint: true });
    const fromBlock = await resolveOutscaleCredentials(req({ profile: 'full' }, { HOME: h, OSC_PROFILE: 'prod' }));
    expect(fromBlock.baseUrl).toBe('https://proxy.example.test/oapi');
    expect(signing(fromBlock).accessKey).toBe('AKFULL00000000000000');
  });

  it('uses OSC_ACCESS_KEY / OSC_SECRET_KEY / OSC_REGION / OSC_ENDPOINT_API when no profile is named', async () => {
    const h = home(PROFILES);
    const env = { HOME: h, OSC_ACCESS_KEY: 'AKENV000000000000000', OSC_SECRET_KEY: SK_B, OSC_REGION: 'ap-northeast-1' };
    const c = await resolveOutscaleCredentials(req({}, env));
    expect(signing(c)).toEqual({ accessKey: 'AKENV000000000000000', secret: SK_B });
    expect(c).toMatchObject({
      region: 'ap-northeast-1',
      baseUrl: 'https://api.ap-northeast-1.outscale.com/api/v1',
      origin: 'environment (OSC_ACCESS_KEY, OSC_SECRET_KEY)',
    });
    const custom = await resolveOutscaleCredentials(req({ region: 'us-west-1' }, { ...env, OSC_ENDPOINT_API: 'https://api.example.test/api/latest' }));
    expect(custom).toMatchObject({ region: 'us-west-1', baseUrl: 'https://api.example.test/api/latest', customEndpoint: true });
    // A profile named in the block wins over keys in the environment.
    expect(signing(await resolveOutscaleCredentials(req({ profile: 'default' }, env))).accessKey).toBe('AKDEFAULT00000000000');
  });

  it('reads OSC_CONFIG_FILE or config_file, relative to the config folder', async () => {
    const h = home(PROFILES, 'elsewhere/osc.json');
    expect(signing(await resolveOutscaleCredentials(req({}, { HOME: '/nowhere', OSC_CONFIG_FILE: join(h, 'elsewhere/osc.json') }))).accessKey).toBe(
      'AKDEFAULT00000000000',
    );
    const c = await resolveOutscaleCredentials({ ...req({ config_file: 'elsewhere/osc.json' }, { HOME: '/nowhere' }), baseDir: h });
    expect(c.origin).toBe(`profile "default" of ${h}/elsewhere/osc.json`);
  });

  it('basic auth reads the login and password variables the block names', async () => {
    const c = await resolveOutscaleCredentials(
      req({ auth: 'basic', login_env: 'MY_LOGIN', password_env: 'MY_PASS' }, { MY_LOGIN: 'me@example.test', MY_PASS: 'pw-secret-1' }),
    );
    expect(c.auth).toMatchObject({ method: 'basic', login: 'me@example.test' });
    expect(c.auth.method === 'basic' && c.auth.password.reveal()).toBe('pw-secret-1');
    const error = await thrown(resolveOutscaleCredentials(req({ auth: 'basic' }, { OSC_LOGIN: 'me@example.test' })));
    expect(error.message).toBe('provider "osc": auth: basic needs the environment variable(s) OSC_PASSWORD (login_env, password_env)');
  });

  it('reports problems naming files, profiles and variables, never a secret', async () => {
    const h = home(PROFILES);
    const messages = await Promise.all([
      thrown(resolveOutscaleCredentials(req({ profile: 'nope' }, { HOME: h }))),
      thrown(resolveOutscaleCredentials(req({ profile: 'broken' }, { HOME: h }))),
      thrown(resolveOutscaleCredentials(req({}, { HOME: h, OSC_ACCESS_KEY: 'AKENV000000000000000' }))),
      thrown(resolveOutscaleCredentials(req({}, { HOME: home() }))),
      thrown(resolveOutscaleCredentials(req({}, { HOME: home(`{"default": {"secret_key": "${SK_A}",`) }))),
    ]);
    expect(messages.map((m) => m.message.replace(/\/tmp\/keyplan-osc-\w+/g, 'HOME'))).toEqual([
      'OUTSCALE config file HOME/.osc/config.json has no profile "nope" (its profiles: broken, default, full, prod)',
      'provider "osc": profile "broken" of HOME/.osc/config.json has no secret_key',
      'provider "osc": OSC_ACCESS_KEY is set but OSC_SECRET_KEY is not; set both, or neither to use a profile of the OUTSCALE config file',
      'OUTSCALE config file HOME/.osc/config.json does not exist',
      'HOME/.osc/config.json is not valid JSON',
    ]);
    for (const m of messages) {
      expect(m).toBeInstanceOf(KeyplanError);
      expect(m.message).not.toContain(SK_A);
    }
  });

  it('rejects invalid settings all at once as a ConfigError', async () => {
    const error = await thrown(resolveOutscaleCredentials(req({ region: 'EU', auth: 'token', endpoint: 'ftp://x', login_env: 'A' }, {})));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics.map((d) => d.path)).toEqual([
      'providers.osc.region',
      'providers.osc.endpoint',
      'providers.osc.auth',
      'providers.osc.login_env',
    ]);
  });

  it('takes the sandbox credentials the engine hands over', async () => {
    const c = await resolveOutscaleCredentials({
      ...req({ endpoint: 'sandbox' }, { OSC_ACCESS_KEY: 'ignored' }),
      sandbox: { url: 'http://127.0.0.1:4567', credentials: { access_key: 'AKSANDBOX00000000000', secret_key: SK_A, region: 'eu-west-2' } },
    });
    expect(c).toMatchObject({ origin: 'sandbox', baseUrl: 'http://127.0.0.1:4567/api/v1', customEndpoint: true, region: 'eu-west-2' });
  });
});

describe('apiBaseUrl', () => {
  it.each([
    [undefined, 'https://api.eu-west-2.outscale.com/api/v1'],
    ['api.eu-west-2.outscale.com', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['https://api.eu-west-2.outscale.com/api/v1/', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/api/v1'],
    ['https://gw.example.test/api/latest', 'https://gw.example.test/api/latest'],
  ])('%s → %s', (endpoint, expected) => {
    expect(apiBaseUrl(endpoint, 'eu-west-2')).toBe(expected);
  });
});
