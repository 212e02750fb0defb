/**
 * The settings of an `oci` provider block, checked and typed once. The JSON Schema in
 * schemas/ should already enforce the shapes; these checks repeat them so the adapter
 * never trusts `unknown` values, and report problems as plain sentences that
 * `validate()` turns into diagnostics and `configure()` into a ConfigError.
 */
import type { ProviderBlock } from '../../model/desired.js';
import { isLoopbackUrl, readLimits, type LimitDefaults, type ProviderLimits } from '../shared/limits.js';
import { settingsReader, type ParsedSettings } from '../shared/settings-reader.js';
import { httpUrlProblem } from '../shared/url.js';

/** Endpoint value that makes the engine start the OCI emulator in-process. */
export const SANDBOX_ENDPOINT = 'sandbox';

/** Largest `max_attempts` accepted: the SDK backs off up to 30 s between attempts. */
export const MAX_ATTEMPTS_LIMIT = 10;

/**
 * OCI answers 429 TooManyRequests when throttled and publishes no rate for the Identity
 * (/20160918) and Big Data Service APIs; the lowest published IAM figure is 20 requests per
 * second (identity domains, "Others", Free type). [guess] 4 calls in flight and 10 per
 * second: under that, and the Identity SDK retries a 429 anyway.
 */
export const OCI_LIMITS: LimitDefaults = { maxConcurrency: 4, requestsPerSecond: 10 };

/** Typed settings of an `oci` provider block. */
export interface OciSettings {
  /** OCI config file; unset: OCI_CLI_CONFIG_FILE, else "~/.oci/config" (credentials-env.ts). */
  readonly configFile?: string;
  /** Profile in the config file (missing keys come from DEFAULT); unset: OCI_CLI_PROFILE, else "DEFAULT". */
  readonly profile?: string;
  /** Overrides the profile's (or the sandbox's) region. */
  readonly region?: string;
  /** `sandbox`, or an http(s) base URL (without `/20160918`) replacing the regional endpoint. */
  readonly endpoint?: string;
  /** Env variable holding the passphrase of the profile's `key_file` (instead of `pass_phrase`). */
  readonly passPhraseEnv?: string;
  /** Attempts per Identity call, including the first; 1 disables SDK retries. @default 8 (the SDK's) */
  readonly maxAttempts?: number;
  /** max_concurrency and requests_per_second (shared/limits.ts), shared by Identity and BDS calls. */
  readonly limits: ProviderLimits;
}

/** The settings plus every problem found; `problems` empty means `settings` is usable. */
export type ParsedOciSettings = ParsedSettings<OciSettings>;

/** Reads and checks `block.settings`; never throws. */
export function parseOciSettings(block: ProviderBlock): ParsedOciSettings {
  const r = settingsReader(block.settings);
  const configFile = r.str('config_file');
  const profile = r.str('profile');
  const region = r.str('region');
  if (region !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    r.problem('region', `expected a region identifier such as us-ashburn-1, got "${region}"`);
  }
  const endpoint = r.str('endpoint');
  if (endpoint !== undefined && endpoint !== SANDBOX_ENDPOINT) {
    // The SDK's own rules (§5.2): a full http(s) base URL; unlike outscale, no bare host.
    const why = httpUrlProblem(endpoint, `expected "sandbox" or an http(s) URL, got "${endpoint}"`);
    if (why !== undefined) r.problem('endpoint', why);
  }
  const passPhraseEnv = r.str('pass_phrase_env');
  const maxAttempts = r.int('max_attempts', 1, MAX_ATTEMPTS_LIMIT);
  const limits = readLimits(r, OCI_LIMITS, endpoint === SANDBOX_ENDPOINT || (endpoint !== undefined && isLoopbackUrl(endpoint)));
  return {
    settings: { configFile, profile, region, endpoint, passPhraseEnv, maxAttempts, limits },
    problems: r.problems,
  };
}
