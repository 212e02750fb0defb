/**
 * The settings of an `outscale` provider block, checked and typed once. The JSON Schema
 * already enforces the shapes; these checks repeat them so the adapter never trusts
 * `unknown` values, and report problems as `[setting, reason]` pairs that configure()
 * turns into one ConfigError.
 *
 * Defaults are applied later, in credentials.ts, not here and not by the config layer:
 * an unset `profile` or `config_file` lets OSC_PROFILE / OSC_CONFIG_FILE decide, as the
 * OUTSCALE SDKs and CLIs do.
 */
import type { ProviderBlock } from '../../model/desired.js';
import type { SigningScheme } from './signing/index.js';

/** Endpoint value that makes the engine start the OUTSCALE emulator in-process. */
export const SANDBOX_ENDPOINT = 'sandbox';

/** How requests authenticate: an access key signature, or the account's login and password. */
export type AuthMethod = 'signature' | 'basic';

/** Typed settings of an `outscale` block (all optional; see credentials.ts for the defaults). */
export interface OutscaleSettings {
  /** Overrides the region of the profile or environment, e.g. `eu-west-2`. */
  readonly region?: string;
  /** Profile of the OUTSCALE config file. */
  readonly profile?: string;
  /** Path of the OUTSCALE config file (JSON). */
  readonly configFile?: string;
  /** `sandbox`, or a URL (or a bare host) replacing `https://api.{region}.outscale.com`. */
  readonly endpoint?: string;
  /** @default 'signature' */
  readonly auth: AuthMethod;
  /** Signature scheme with `auth: signature`. @default 'OSC4' */
  readonly signatureScheme: SigningScheme;
  /** Env variable holding the login (email) with `auth: basic`. @default 'OSC_LOGIN' */
  readonly loginEnv: string;
  /** Env variable holding the password with `auth: basic`. @default 'OSC_PASSWORD' */
  readonly passwordEnv: string;
}

/** The settings plus every problem found; `problems` empty means `settings` is usable. */
export interface ParsedOutscaleSettings {
  readonly settings: OutscaleSettings;
  /** `[settingName, reason]` pairs. */
  readonly problems: readonly (readonly [string, string])[];
}

const REGION = /^[a-z0-9]+(-[a-z0-9]+)+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads and checks `block.settings`; never throws. */
export function parseOutscaleSettings(block: ProviderBlock): ParsedOutscaleSettings {
  const s = block.settings;
  const problems: [string, string][] = [];
  const str = (name: string): string | undefined => {
    const v = s[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    problems.push([name, `expected a non-empty string, got ${JSON.stringify(v)}`]);
    return undefined;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = str(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push([name, `expected one of ${allowed.join(', ')}, got "${v}"`]);
    return fallback;
  };
  const envName = (name: string, fallback: string): string => {
    const v = str(name);
    if (v === undefined) return fallback;
    if (ENV_NAME.test(v)) return v;
    problems.push([name, `expected an environment variable name, got "${v}"`]);
    return fallback;
  };

  const region = str('region');
  if (region !== undefined && !REGION.test(region)) problems.push(['region', `expected a region such as eu-west-2, got "${region}"`]);
  const endpoint = str('endpoint');
  if (endpoint !== undefined && endpoint !== SANDBOX_ENDPOINT) {
    const why = endpointProblem(endpoint);
    if (why !== undefined) problems.push(['endpoint', why]);
  }
  const auth = oneOf<AuthMethod>('auth', ['signature', 'basic'], 'signature');
  const signatureScheme = oneOf<SigningScheme>('signature_scheme', ['OSC4', 'AWS4'], 'OSC4');
  const loginEnv = envName('login_env', 'OSC_LOGIN');
  const passwordEnv = envName('password_env', 'OSC_PASSWORD');
  if (auth !== 'basic') {
    for (const name of ['login_env', 'password_env']) {
      if (s[name] !== undefined) problems.push([name, 'is only used with auth: basic']);
    }
  }
  const profile = str('profile');
  const configFile = str('config_file');
  if (endpoint === SANDBOX_ENDPOINT && auth === 'basic') problems.push(['auth', 'the sandbox signs with its own access key; auth: basic cannot be used with endpoint: sandbox']);

  const settings: OutscaleSettings = {
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    auth,
    signatureScheme,
    loginEnv,
    passwordEnv,
  };
  return { settings, problems };
}

/** Why `text` cannot be an API endpoint, or undefined when it can. */
export function endpointProblem(text: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return `expected "sandbox", a URL or a host name, got "${text}"`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `expected an http(s) URL, got protocol "${u.protocol}"`;
  // Never echo user-info: it could be a credential.
  if (u.username !== '' || u.password !== '') return 'the URL must not contain user info';
  if (u.search !== '' || u.hash !== '') return 'the URL must not contain a query or fragment';
  return undefined;
}
