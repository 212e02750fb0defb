/**
 * Reader for the OUTSCALE config file shared by osc-cli, oapi-cli and the SDKs
 * (`~/.osc/config.json`, providers/outscale-dataos.md §A6): a JSON object whose keys
 * are profile names, each with `access_key`, `secret_key`, `region` (legacy
 * `region_name`), `endpoints.api` and `protocol`, among fields keyplan does not use.
 *
 * Error messages name the file and profile but never quote the file: JSON.parse's own
 * message includes a snippet of the text, which may be a secret key.
 */
import { KeyplanError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import { readTextFile } from '../shared/files.js';
import { OSC_CODES } from './codes.js';

/** The profile the OUTSCALE tools use when none is named. */
export const DEFAULT_OSC_PROFILE = 'default';

/** Where the OUTSCALE tools look for their config file. */
export const DEFAULT_OSC_CONFIG_FILE = '~/.osc/config.json';

/** The fields of one profile keyplan uses. */
export interface OscProfile {
  /** Absolute path of the file it was read from. */
  readonly file: string;
  readonly profile: string;
  readonly accessKey?: string;
  readonly secretKey?: Secret;
  readonly region?: string;
  /** `endpoints.api` as written (with or without scheme and path). */
  readonly endpointApi?: string;
  /** `protocol` for an endpoint without scheme. @default 'https' */
  readonly protocol?: string;
}

/** Parses the file's text into its profiles by name. `file` is only used in messages. */
export function parseOscConfig(text: string, file: string): ReadonlyMap<string, Readonly<Record<string, unknown>>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw configError(`${file} is not valid JSON`);
  }
  if (!isRecord(parsed)) throw configError(`${file} must hold a JSON object of profiles, e.g. {"default": {"access_key": …}}`);
  const profiles = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [name, value] of Object.entries(parsed)) {
    if (isRecord(value)) profiles.set(name, value);
  }
  return profiles;
}

/**
 * Reads `profile` from the config file at `file` (absolute).
 * @throws KeyplanError (KP_OSC_E0010) when the file cannot be read or parsed, or lacks the profile.
 */
export async function readOscProfile(file: string, profile: string): Promise<OscProfile> {
  const text = await readTextFile(file, (why, cause) => configError(`OUTSCALE config file ${file} ${why}`, cause));
  const profiles = parseOscConfig(text, file);
  const values = profiles.get(profile);
  if (values === undefined) {
    const names = [...profiles.keys()].sort();
    const known = names.length === 0 ? 'it has no profiles' : `its profiles: ${names.join(', ')}`;
    throw configError(`OUTSCALE config file ${file} has no profile "${profile}" (${known})`);
  }
  return toProfile(file, profile, values);
}

function toProfile(file: string, profile: string, v: Readonly<Record<string, unknown>>): OscProfile {
  const text = (name: string, value: unknown): string | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value.trim();
    throw configError(`profile "${profile}" of ${file}: ${name} must be a string`);
  };
  const endpoints = v['endpoints'];
  if (endpoints !== undefined && !isRecord(endpoints)) throw configError(`profile "${profile}" of ${file}: endpoints must be an object`);
  const secret = text('secret_key', v['secret_key']);
  const accessKey = text('access_key', v['access_key']);
  const region = text('region', v['region']) ?? text('region_name', v['region_name']);
  const endpointApi = text('endpoints.api', endpoints?.['api']);
  const protocol = text('protocol', v['protocol']);
  return {
    file,
    profile,
    ...(accessKey !== undefined ? { accessKey } : {}),
    ...(secret !== undefined ? { secretKey: new Secret(secret) } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(endpointApi !== undefined ? { endpointApi } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function configError(message: string, cause?: unknown): KeyplanError {
  return new KeyplanError(message, { code: OSC_CODES.configFile, source: 'user', cause });
}
