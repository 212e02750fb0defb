/**
 * Who keyplan calls OAPI as, and where: from the sandbox emulator the engine started,
 * from `OSC_ACCESS_KEY`/`OSC_SECRET_KEY`, from a profile of `~/.osc/config.json`, or
 * (auth: basic) from a login and password in named environment variables.
 *
 * Precedence, most specific first: a setting written in the provider block; then the
 * OUTSCALE tools' environment variables (OSC_PROFILE, OSC_CONFIG_FILE, OSC_ACCESS_KEY,
 * OSC_SECRET_KEY, OSC_REGION, OSC_ENDPOINT_API); then the profile (`default` unless
 * named); then region `eu-west-2`. A profile named in the block or by OSC_PROFILE wins
 * over access keys in the environment. Only `req.env` is read, never `process.env`.
 */
import { homedir } from 'node:os';
import { KeyplanError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import { registerSecretValue } from '../../log/logger.js';
import type { ConfigureRequest } from '../contract.js';
import { expandPath } from '../shared/files.js';
import { startedSandbox } from '../shared/sandbox.js';
import { usableSettings } from '../shared/settings-problems.js';
import { DEFAULT_OSC_CONFIG_FILE, DEFAULT_OSC_PROFILE, readOscProfile } from './config-file.js';
import { apiBaseUrl } from './endpoint.js';
import type { SigningScheme } from './signing/index.js';
import { parseOutscaleSettings, SANDBOX_ENDPOINT, type OutscaleSettings } from './settings.js';
import { OSC_CODES } from './codes.js';

/** The region the OUTSCALE tools use when nothing names one. */
export const DEFAULT_REGION = 'eu-west-2';

/** How each request authenticates. */
export type OutscaleAuth =
  | { readonly method: 'signature'; readonly accessKey: string; readonly secretKey: Secret; readonly scheme: SigningScheme }
  | { readonly method: 'basic'; readonly login: string; readonly password: Secret };

/** A resolved connection. */
export interface OutscaleConnection {
  readonly region: string;
  /** Base URL actions are appended to, e.g. `https://api.eu-west-2.outscale.com/api/v1`. */
  readonly baseUrl: string;
  /** True when `baseUrl` is not the region's public endpoint (delivered configs then name it). */
  readonly customEndpoint: boolean;
  readonly auth: OutscaleAuth;
  /** For messages: `sandbox`, `environment (OSC_ACCESS_KEY)`, `profile "x" of /path`. */
  readonly origin: string;
}

/**
 * Resolves the block of `req` into a connection.
 * @throws ConfigError for invalid settings; KeyplanError for missing credentials or an
 *   unusable config file; InternalError when `endpoint: sandbox` arrives without a sandbox.
 */
export async function resolveOutscaleCredentials(req: ConfigureRequest): Promise<OutscaleConnection> {
  const settings = usableSettings(req.block.name, parseOutscaleSettings(req.block), OSC_CODES.settings);
  if (settings.endpoint === SANDBOX_ENDPOINT) return fromSandbox(req, settings);
  if (settings.auth === 'basic') return fromLogin(req, settings);
  const env = req.env;
  const profile = settings.profile ?? nonEmpty(env['OSC_PROFILE']);
  const [ak, sk] = [nonEmpty(env['OSC_ACCESS_KEY']), nonEmpty(env['OSC_SECRET_KEY'])];
  if (profile === undefined && (ak !== undefined || sk !== undefined)) {
    if (ak === undefined || sk === undefined) {
      const [set, unset] = ak === undefined ? ['OSC_SECRET_KEY', 'OSC_ACCESS_KEY'] : ['OSC_ACCESS_KEY', 'OSC_SECRET_KEY'];
      throw userError(req, `${set} is set but ${unset} is not; set both, or neither to use a profile of the OUTSCALE config file`);
    }
    const region = settings.region ?? nonEmpty(env['OSC_REGION']) ?? DEFAULT_REGION;
    const endpoint = settings.endpoint ?? nonEmpty(env['OSC_ENDPOINT_API']);
    return connection(region, endpoint, undefined, signature(ak, sk, settings.signatureScheme), 'environment (OSC_ACCESS_KEY, OSC_SECRET_KEY)');
  }
  return fromProfile(req, settings, profile ?? DEFAULT_OSC_PROFILE);
}

async function fromProfile(req: ConfigureRequest, settings: OutscaleSettings, name: string): Promise<OutscaleConnection> {
  const env = req.env;
  const home = nonEmpty(env['HOME']) ?? homedir();
  const file = expandPath(settings.configFile ?? nonEmpty(env['OSC_CONFIG_FILE']) ?? DEFAULT_OSC_CONFIG_FILE, req.baseDir, home);
  const p = await readOscProfile(file, name);
  const origin = `profile "${name}" of ${file}`;
  const missing = [p.accessKey === undefined ? 'access_key' : '', p.secretKey === undefined ? 'secret_key' : ''].filter((m) => m !== '');
  if (p.accessKey === undefined || p.secretKey === undefined) {
    throw userError(req, `${origin} has no ${missing.join(' and ')}`);
  }
  const region = settings.region ?? p.region ?? nonEmpty(env['OSC_REGION']) ?? DEFAULT_REGION;
  const endpoint = settings.endpoint ?? p.endpointApi ?? nonEmpty(env['OSC_ENDPOINT_API']);
  checkEndpoint(req, endpoint, origin, p.protocol);
  return connection(region, endpoint, p.protocol, signature(p.accessKey, p.secretKey.reveal(), settings.signatureScheme), origin);
}

function fromLogin(req: ConfigureRequest, settings: OutscaleSettings): OutscaleConnection {
  const login = nonEmpty(req.env[settings.loginEnv]);
  const password = nonEmpty(req.env[settings.passwordEnv]);
  const unset = [login === undefined ? settings.loginEnv : '', password === undefined ? settings.passwordEnv : ''].filter((n) => n !== '');
  if (login === undefined || password === undefined) {
    // Names only: the values are what is missing, and they would be secrets anyway.
    throw userError(req, `auth: basic needs the environment variable(s) ${unset.join(', ')} (login_env, password_env)`);
  }
  registerSecretValue(password);
  const region = settings.region ?? nonEmpty(req.env['OSC_REGION']) ?? DEFAULT_REGION;
  const endpoint = settings.endpoint ?? nonEmpty(req.env['OSC_ENDPOINT_API']);
  checkEndpoint(req, endpoint, 'OSC_ENDPOINT_API', undefined);
  const origin = `login from ${settings.loginEnv}`;
  return connection(region, endpoint, undefined, { method: 'basic', login, password: new Secret(password) }, origin);
}

function fromSandbox(req: ConfigureRequest, settings: OutscaleSettings): OutscaleConnection {
  const { url, need } = startedSandbox(req, 'the OUTSCALE sandbox credentials');
  const region = settings.region ?? need('region');
  return connection(region, url, undefined, signature(need('access_key'), need('secret_key'), settings.signatureScheme), 'sandbox');
}

function connection(region: string, endpoint: string | undefined, protocol: string | undefined, auth: OutscaleAuth, origin: string): OutscaleConnection {
  const baseUrl = apiBaseUrl(endpoint, region, protocol);
  return { region, baseUrl, customEndpoint: baseUrl !== apiBaseUrl(undefined, region), auth, origin };
}

function signature(accessKey: string, secretKey: string, scheme: SigningScheme): OutscaleAuth {
  registerSecretValue(secretKey);
  return { method: 'signature', accessKey, secretKey: new Secret(secretKey), scheme };
}

function checkEndpoint(req: ConfigureRequest, endpoint: string | undefined, origin: string, protocol: string | undefined): void {
  if (endpoint === undefined) return;
  try {
    apiBaseUrl(endpoint, 'x', protocol);
  } catch {
    throw userError(req, `the API endpoint of ${origin} is not a URL or host name`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function userError(req: ConfigureRequest, why: string): KeyplanError {
  return new KeyplanError(`provider "${req.block.name}": ${why}`, { code: OSC_CODES.credentials, source: 'user' });
}
