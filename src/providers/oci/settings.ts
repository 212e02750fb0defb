/**
 * The settings of an `oci` provider block, checked and typed once. The JSON Schema in
 * schemas/ should already enforce the shapes; these checks repeat them so the adapter
 * never trusts `unknown` values, and report problems as plain sentences that
 * `validate()` turns into diagnostics and `configure()` into a ConfigError.
 */
import type { ProviderBlock } from '../../model/desired.js';

/** Endpoint value that makes the engine start the OCI emulator in-process. */
export const SANDBOX_ENDPOINT = 'sandbox';

/** Largest `max_attempts` accepted: the SDK backs off up to 30 s between attempts. */
export const MAX_ATTEMPTS_LIMIT = 10;

/** Typed settings of an `oci` provider block. */
export interface OciSettings {
  /** OCI config file. @default "~/.oci/config" */
  readonly configFile: string;
  /** Profile in the config file; missing keys come from DEFAULT. @default "DEFAULT" */
  readonly profile: string;
  /** Overrides the profile's (or the sandbox's) region. */
  readonly region?: string;
  /** `sandbox`, or an http(s) base URL (without `/20160918`) replacing the regional endpoint. */
  readonly endpoint?: string;
  /** Env variable holding the passphrase of the profile's `key_file` (instead of `pass_phrase`). */
  readonly passPhraseEnv?: string;
  /** Attempts per Identity call, including the first; 1 disables SDK retries. @default 8 (the SDK's) */
  readonly maxAttempts?: number;
}

/** The settings plus every problem found; `problems` empty means `settings` is usable. */
export interface ParsedSettings {
  readonly settings: OciSettings;
  /** `[settingName, reason]` pairs. */
  readonly problems: readonly (readonly [string, string])[];
}

/** Reads and checks `block.settings`; never throws. */
export function parseOciSettings(block: ProviderBlock): ParsedSettings {
  const s = block.settings;
  const problems: [string, string][] = [];
  const str = (name: string): string | undefined => {
    const v = s[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    problems.push([name, `expected a non-empty string, got ${JSON.stringify(v)}`]);
    return undefined;
  };
  const configFile = str('config_file') ?? '~/.oci/config';
  const profile = str('profile') ?? 'DEFAULT';
  const region = str('region');
  if (region !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    problems.push(['region', `expected a region identifier such as us-ashburn-1, got "${region}"`]);
  }
  const endpoint = str('endpoint');
  if (endpoint !== undefined && endpoint !== SANDBOX_ENDPOINT) {
    const why = endpointProblem(endpoint);
    if (why !== undefined) problems.push(['endpoint', why]);
  }
  const passPhraseEnv = str('pass_phrase_env');
  let maxAttempts: number | undefined;
  const ma = s['max_attempts'];
  if (ma !== undefined && ma !== null) {
    if (typeof ma === 'number' && Number.isInteger(ma) && ma >= 1 && ma <= MAX_ATTEMPTS_LIMIT) {
      maxAttempts = ma;
    } else {
      problems.push(['max_attempts', `expected an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${JSON.stringify(ma)}`]);
    }
  }
  return {
    settings: { configFile, profile, region, endpoint, passPhraseEnv, maxAttempts },
    problems,
  };
}

/** Why `url` cannot be an endpoint, or undefined if it can (the SDK's own rules, §5.2). */
function endpointProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `expected "sandbox" or an http(s) URL, got "${url}"`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `expected an http(s) URL, got protocol "${u.protocol}"`;
  // Never echo user-info: it could be a credential.
  if (u.username !== '' || u.password !== '') return 'the URL must not contain user info';
  if (u.search !== '' || u.hash !== '') return 'the URL must not contain a query or fragment';
  return undefined;
}
