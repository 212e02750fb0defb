/**
 * The settings of a `dataos` provider block, checked and typed once. The JSON Schema
 * enforces the shapes already; this repeats the checks so the adapter never trusts
 * `unknown` values.
 */
import type { ProviderBlock } from '../../model/desired.js';
import { isLoopbackUrl, readLimits, type LimitDefaults, type ProviderLimits } from '../shared/limits.js';
import { settingsReader, type ParsedSettings } from '../shared/settings-reader.js';
import { parseUrl, urlPartsProblem } from '../shared/url.js';

/** Endpoint value that makes the engine start the Heimdall emulator in-process. */
export const SANDBOX_ENDPOINT = 'sandbox';

/** How the token is sent: a header named `apikey` (the DataOS SDKs) or `Authorization: Bearer`. */
export type AuthHeader = 'apikey' | 'bearer';

/**
 * Heimdall documents no rate limit; its SDKs retry 429 and 5xx. [guess] 8 calls in flight
 * and 20 per second, as for OUTSCALE.
 */
export const DATAOS_LIMITS: LimitDefaults = { maxConcurrency: 8, requestsPerSecond: 20 };

/** Typed settings of a `dataos` provider block. */
export interface DataosSettings {
  /** The DataOS instance, e.g. `https://acme.dataos.app`, without `/heimdall`. */
  readonly url?: string;
  /** `sandbox`: the local emulator. */
  readonly sandbox: boolean;
  /** Env variable holding the API token keyplan authenticates with (required unless sandbox). */
  readonly tokenEnv?: string;
  /** @default 'apikey' */
  readonly authHeader: AuthHeader;
  /** max_concurrency and requests_per_second (shared/limits.ts). */
  readonly limits: ProviderLimits;
}

/** The settings plus every problem found; `problems` empty means `settings` is usable. */
export type ParsedDataosSettings = ParsedSettings<DataosSettings>;

/** Reads and checks `block.settings`; never throws. */
export function parseDataosSettings(block: ProviderBlock): ParsedDataosSettings {
  const r = settingsReader(block.settings);
  const endpoint = r.str('endpoint');
  const sandbox = endpoint === SANDBOX_ENDPOINT;
  if (endpoint !== undefined && !sandbox) r.problem('endpoint', `expected "sandbox", got "${endpoint}"`);
  let url = r.str('url');
  if (url !== undefined) {
    const why = urlProblem(url);
    if (why !== undefined) r.problem('url', why);
    url = url.replace(/\/+$/, '');
  }
  if (url !== undefined && sandbox) r.problem('url', 'set either url or endpoint: sandbox, not both');
  if (url === undefined && !sandbox && endpoint === undefined) r.problem('url', 'set url (the DataOS instance) or endpoint: sandbox');
  const tokenEnv = r.envName('token_env');
  if (tokenEnv === undefined && !sandbox) r.problem('token_env', 'name the environment variable holding the DataOS API token');
  const header = r.str('auth_header') ?? 'apikey';
  if (header !== 'apikey' && header !== 'bearer') r.problem('auth_header', `expected apikey or bearer, got "${header}"`);
  const limits = readLimits(r, DATAOS_LIMITS, sandbox || (url !== undefined && isLoopbackUrl(url)));
  return {
    settings: {
      ...(url === undefined ? {} : { url }),
      sandbox,
      ...(tokenEnv === undefined ? {} : { tokenEnv }),
      authHeader: header === 'bearer' ? 'bearer' : 'apikey',
      limits,
    },
    problems: r.problems,
  };
}

/**
 * Why `url` cannot be a DataOS instance URL. Plain http is accepted only for loopback
 * (an emulator on this machine): the token must not cross a network unencrypted.
 */
function urlProblem(url: string): string | undefined {
  const u = parseUrl(url);
  if (u === undefined) return `expected an https URL, got "${url}"`;
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback))
    return `expected an https URL (http only for 127.0.0.1 or localhost), got protocol "${u.protocol}"`;
  return urlPartsProblem(u);
}
