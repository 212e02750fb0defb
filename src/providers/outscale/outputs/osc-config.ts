/**
 * The `osc_config` sink: a profile in an OUTSCALE config file (`~/.osc/config.json`, the
 * JSON object of profiles osc-cli, oapi-cli and the SDKs read), holding the new access
 * key, its secret key, the region and, for a non-default endpoint, `endpoints.api`.
 *
 * Ownership: keyplan writes `"x-keyplan-key": <key name>` into the profiles it owns (the
 * OUTSCALE tools ignore fields they do not know). Such a profile is replaced whole; any
 * other profile of that name is refused, since it holds credentials someone else uses.
 * Every other profile keeps its content; the file is rewritten with 2-space indentation,
 * atomically, mode 0600.
 */
import { readFile } from 'node:fs/promises';
import type { OutputSpec } from '../../../model/desired.js';
import type { SecretMaterial } from '../../contract.js';
import { atomicWriteFile } from '../../../fs/atomic-write.js';
import { OUTPUT_ERROR_CODES, OutputError, ioOutputError } from '../../../outputs/output-error.js';

/** An osc_config output: `profile` is required by its schema. */
export type OscConfigSpec = OutputSpec & { readonly profile: string };

/** The field that marks a profile as written by keyplan for one key. */
export const OSC_OWNER_FIELD = 'x-keyplan-key';

/** What the sink needs besides the spec. */
export interface OscConfigTarget {
  /** Absolute path of the config file. */
  readonly absPath: string;
  /** The keyplan key name, written into the ownership field. */
  readonly keyName: string;
}

/** Adds or replaces the spec's profile in the config file (mode 0600). Throws OutputError. */
export async function writeOscConfigOutput(spec: OscConfigSpec, target: OscConfigTarget, material: SecretMaterial): Promise<void> {
  const profile = profileOf(spec, target.keyName, material);
  const profiles = await readProfiles(spec, target.absPath);
  const existing = Object.prototype.hasOwnProperty.call(profiles, spec.profile) ? profiles[spec.profile] : undefined;
  if (existing !== undefined) {
    const owner = isRecord(existing) ? existing[OSC_OWNER_FIELD] : undefined;
    if (owner !== target.keyName) {
      const other = typeof owner === 'string' ? ` (it belongs to keyplan key ${owner})` : '';
      throw new OutputError(
        spec,
        `profile ${spec.profile} in ${target.absPath} is not managed by keyplan key ${target.keyName}; refusing to overwrite${other}. ` +
          'Choose another profile name, or remove that profile from the file',
        { code: OUTPUT_ERROR_CODES.notOwned, source: 'user' },
      );
    }
  }
  // Built from entries (CreateDataProperty), so even a profile named "__proto__" stays an ordinary key.
  const entries = Object.entries(profiles);
  const at = entries.findIndex(([name]) => name === spec.profile);
  if (at >= 0) entries[at] = [spec.profile, profile];
  else entries.push([spec.profile, profile]);
  const text = `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
  try {
    await atomicWriteFile(target.absPath, text, { mode: 0o600, dirMode: 0o700 });
  } catch (error) {
    throw ioOutputError(spec, target.absPath, error);
  }
}

/** The profile object for the key, from the adapter's material. */
function profileOf(spec: OscConfigSpec, keyName: string, material: SecretMaterial): Record<string, unknown> {
  const accessKey = material.values['access_key'];
  const secret = material.secrets['secret_key'];
  const region = material.values['region'];
  if (accessKey === undefined || secret === undefined) {
    throw new OutputError(spec, `an osc_config output holds an OUTSCALE access key; key ${keyName} is not one (use it only with kind outscale.access_key)`, {
      code: OUTPUT_ERROR_CODES.config,
      source: 'user',
    });
  }
  if (region === undefined || region === '') {
    throw new OutputError(spec, 'bug in the provider adapter: it gave no `region` value for the profile', {
      code: OUTPUT_ERROR_CODES.material,
      source: 'internal',
    });
  }
  const endpoint = material.values['endpoint_api'];
  return {
    [OSC_OWNER_FIELD]: keyName,
    access_key: accessKey,
    secret_key: secret.reveal(),
    region,
    ...(endpoint !== undefined ? { endpoints: { api: endpoint } } : {}),
  };
}

/** The file's profiles; {} when it does not exist. Never quotes the file (it holds secrets). */
async function readProfiles(spec: OscConfigSpec, absPath: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw ioOutputError(spec, absPath, error);
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw new OutputError(spec, `${absPath} is not a JSON object of profiles; refusing to rewrite it`, {
      code: OUTPUT_ERROR_CODES.existing,
      source: 'user',
    });
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
