/**
 * The settings of a `dataos` provider block, checked and typed once. The JSON Schema
 * enforces the shapes already; this repeats the checks so the adapter never trusts
 * `unknown` values.
 */
import type { ProviderBlock } from '../../model/desired.js';

/** Endpoint value that makes the engine start the Heimdall emulator in-process. */
export const SANDBOX_ENDPOINT = 'sandbox';

/** How the token is sent: a header named `apikey` (the DataOS SDKs) or `Authorization: Bearer`. */
export type AuthHeader = 'apikey' | 'bearer';

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
}

/** The settings plus every problem found; `problems` empty means `settings` is usable. */
export interface ParsedDataosSettings {
  readonly settings: DataosSettings;
  /** `[settingName, reason]` pairs. */
  readonly problems: readonly (readonly [string, string])[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads and checks `block.settings`; never throws. */
export function parseDataosSettings(block: ProviderBlock): ParsedDataosSettings {
  const s = block.settings;
  const problems: [string, string][] = [];
  const str = (name: string): string | undefined => {
    const v = s[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    problems.push([name, `expected a non-empty string, got ${JSON.stringify(v)}`]);
    return undefined;
  };
  const endpoint = str('endpoint');
  const sandbox = endpoint === SANDBOX_ENDPOINT;
  if (endpoint !== undefined && !sandbox) problems.push(['endpoint', `expected "sandbox", got "${endpoint}"`]);
  let url = str('url');
  if (url !== undefined) {
    const why = urlProblem(url);
    if (why !== undefined) problems.push(['url', why]);
    url = url.replace(/\/+$/, '');
  }
  if (url !== undefined && sandbox) problems.push(['url', 'set either url or endpoint: sandbox, not both']);
  if (url === undefined && !sandbox && endpoint === undefined) problems.push(['url', 'set url (the DataOS instance) or endpoint: sandbox']);
  const tokenEnv = str('token_env');
  if (tokenEnv !== undefined && !ENV_NAME.test(tokenEnv)) problems.push(['token_env', `expected an environment variable name, got "${tokenEnv}"`]);
  if (tokenEnv === undefined && !sandbox) problems.push(['token_env', 'name the environment variable holding the DataOS API token']);
  const header = str('auth_header') ?? 'apikey';
  if (header !== 'apikey' && header !== 'bearer') problems.push(['auth_header', `expected apikey or bearer, got "${header}"`]);
  return {
    settings: { ...(url === undefined ? {} : { url }), sandbox, ...(tokenEnv === undefined ? {} : { tokenEnv }), authHeader: header === 'bearer' ? 'bearer' : 'apikey' },
    problems,
  };
}

/**
 * Why `url` cannot be a DataOS instance URL. Plain http is accepted only for loopback
 * (an emulator on this machine): the token must not cross a network unencrypted.
 */
function urlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `expected an https URL, got "${url}"`;
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return `expected an https URL (http only for 127.0.0.1 or localhost), got protocol "${u.protocol}"`;
  // Never echo user-info: it could be a credential.
  if (u.username !== '' || u.password !== '') return 'the URL must not contain user info';
  if (u.search !== '' || u.hash !== '') return 'the URL must not contain a query or fragment';
  return undefined;
}
