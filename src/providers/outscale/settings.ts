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
import { isLoopbackUrl, readLimits, type LimitDefaults, type ProviderLimits } from '../shared/limits.js';
import { ENV_NAME_PATTERN, settingsReader, type ParsedSettings } from '../shared/settings-reader.js';
import { httpUrlProblem } from '../shared/url.js';
import type { SigningScheme } from './signing/index.js';

/** Endpoint value that makes the engine start the OUTSCALE emulator in-process. */
export const SANDBOX_ENDPOINT = 'sandbox';

/**
 * OUTSCALE throttles per account and per account and call (API-Throttling page), but
 * publishes no figures. [guess] 8 calls in flight and 20 per second stay well under what an
 * account sees from the CLIs; a 429 is retried anyway (retry.ts).
 */
export const OUTSCALE_LIMITS: LimitDefaults = { maxConcurrency: 8, requestsPerSecond: 20 };

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
  /** max_concurrency and requests_per_second (shared/limits.ts). */
  readonly limits: ProviderLimits;
}

/** The settings plus every problem found; `problems` empty means `settings` is usable. */
export type ParsedOutscaleSettings = ParsedSettings<OutscaleSettings>;

const REGION = /^[a-z0-9]+(-[a-z0-9]+)+$/;

/** Reads and checks `block.settings`; never throws. */
export function parseOutscaleSettings(block: ProviderBlock): ParsedOutscaleSettings {
  const s = block.settings;
  const r = settingsReader(s);
  const region = r.str('region');
  if (region !== undefined && !REGION.test(region)) r.problem('region', `expected a region such as eu-west-2, got "${region}"`);
  const endpoint = r.str('endpoint');
  if (endpoint !== undefined && endpoint !== SANDBOX_ENDPOINT) {
    const why = endpointProblem(endpoint);
    if (why !== undefined) r.problem('endpoint', why);
  }
  const auth = r.oneOf<AuthMethod>('auth', ['signature', 'basic'], 'signature');
  const signatureScheme = r.oneOf<SigningScheme>('signature_scheme', ['OSC4', 'AWS4'], 'OSC4');
  // An invalid name is a problem already; the default stands in so settings stay well-formed.
  const envOr = (name: string, fallback: string): string => {
    const v = r.envName(name);
    return v !== undefined && ENV_NAME_PATTERN.test(v) ? v : fallback;
  };
  const loginEnv = envOr('login_env', 'OSC_LOGIN');
  const passwordEnv = envOr('password_env', 'OSC_PASSWORD');
  if (auth !== 'basic') {
    for (const name of ['login_env', 'password_env']) {
      if (s[name] !== undefined) r.problem(name, 'is only used with auth: basic');
    }
  }
  const profile = r.str('profile');
  const configFile = r.str('config_file');
  if (endpoint === SANDBOX_ENDPOINT && auth === 'basic')
    r.problem('auth', 'the sandbox signs with its own access key; auth: basic cannot be used with endpoint: sandbox');

  const local = endpoint === SANDBOX_ENDPOINT || (endpoint !== undefined && isLoopbackUrl(endpoint));
  const limits = readLimits(r, OUTSCALE_LIMITS, local);

  const settings: OutscaleSettings = {
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    auth,
    signatureScheme,
    loginEnv,
    passwordEnv,
    limits,
  };
  return { settings, problems: r.problems };
}

/** Why `text` (a URL, or a bare host that gets `https://`) cannot be an API endpoint, or undefined when it can. */
export function endpointProblem(text: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  return httpUrlProblem(withScheme, `expected "sandbox", a URL or a host name, got "${text}"`);
}
