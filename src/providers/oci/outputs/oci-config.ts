/**
 * The `oci_config` sink: a profile in an OCI config file pointing at the key's PEM file,
 * so the OCI CLI and SDKs can use the key (`--profile NAME`). Only keyplan's own profile
 * changes (see oci-config-merge.ts); the passphrase is never written (`pass_phrase` is
 * deprecated and would put a secret in the file); it stays in the environment.
 */
import { readFile } from 'node:fs/promises';
import type { OutputSpec } from '../../../model/desired.js';
import type { SecretMaterial } from '../../contract.js';
import { atomicWriteFile } from '../../../fs/atomic-write.js';
import { mergeProfile } from './profile-merge.js';
import { OUTPUT_ERROR_CODES, OutputError, ioOutputError } from '../../../outputs/output-error.js';

/** An oci_config output: `profile` is required by its schema. */
export type OciConfigSpec = OutputSpec & { readonly profile: string };

/** The values of `material.values` a profile needs, in the order they are written. */
const PROFILE_VALUES = ['user', 'fingerprint', 'tenancy', 'region'] as const;

/** What the sink needs besides the spec. */
export interface OciConfigTarget {
  /** Absolute path of the config file. */
  readonly absPath: string;
  /** Absolute path of the key's `file` output, written as `key_file`. */
  readonly keyFile: string;
  /** The keyplan key name, written into the ownership marker. */
  readonly keyName: string;
}

/** Adds or replaces the spec's profile in the config file (mode 0600). Throws OutputError. */
export async function writeOciConfigOutput(spec: OciConfigSpec, target: OciConfigTarget, material: SecretMaterial): Promise<void> {
  // A line break or bracket would let a name or path end the section early or forge another one.
  checkText(spec, 'profile name', spec.profile, /[\r\n[\]]/);
  checkText(spec, 'key name', target.keyName, /[\r\n]/);
  checkText(spec, 'file output path', target.keyFile, /[\r\n]/);
  const entries: [string, string][] = [];
  for (const name of PROFILE_VALUES) {
    const value = material.values[name];
    if (value === undefined || value === '' || hasLineBreak(value)) {
      throw new OutputError(spec, `bug in the provider adapter: it gave no usable \`${name}\` value for the profile`, {
        code: OUTPUT_ERROR_CODES.material,
        source: 'internal',
      });
    }
    entries.push([name, value]);
  }
  entries.push(['key_file', target.keyFile]);

  // Bytes are handled as latin1 so that whatever encoding the file is in survives untouched;
  // our own values are UTF-8, converted into the same byte form.
  let existing = '';
  try {
    existing = (await readFile(target.absPath)).toString('latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioOutputError(spec, target.absPath, error);
  }
  const outcome = mergeProfile(existing, {
    profile: toBytes(spec.profile),
    owner: toBytes(target.keyName),
    entries: entries.map(([k, v]) => [k, toBytes(v)] as const),
  });
  if (outcome.kind === 'duplicate') {
    throw new OutputError(spec, `profile ${spec.profile} appears ${outcome.count} times in ${target.absPath}; refusing to guess which to replace`, {
      code: OUTPUT_ERROR_CODES.existing,
      source: 'user',
    });
  }
  if (outcome.kind === 'not_owned') {
    const other = outcome.owner === undefined ? '' : ` (its marker names keyplan key ${fromBytes(outcome.owner)})`;
    throw new OutputError(
      spec,
      `profile ${spec.profile} in ${target.absPath} is not managed by keyplan key ${target.keyName}; refusing to overwrite${other}. ` +
        `Choose another profile name, or remove that profile from the file`,
      { code: OUTPUT_ERROR_CODES.notOwned, source: 'user' },
    );
  }
  try {
    await atomicWriteFile(target.absPath, Buffer.from(outcome.text, 'latin1'), { mode: 0o600, dirMode: 0o700 });
  } catch (error) {
    throw ioOutputError(spec, target.absPath, error);
  }
}

function checkText(spec: OciConfigSpec, what: string, value: string, forbidden: RegExp): void {
  if (value.trim() !== value || value === '' || forbidden.test(value)) {
    throw new OutputError(spec, `the ${what} "${value}" cannot be written to an OCI config file`, {
      code: OUTPUT_ERROR_CODES.config,
      source: 'user',
    });
  }
}

function hasLineBreak(value: string): boolean {
  return /[\r\n]/.test(value);
}

function toBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function fromBytes(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
