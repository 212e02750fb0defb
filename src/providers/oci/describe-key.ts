/**
 * What `keyplan state show` adds for an oci.api_key or oci.bds_api_key: the public key PEM
 * and the OCI config file snippet the Console's "View configuration file" shows (user,
 * fingerprint, tenancy, region, key_file), so a consumer can be set up by hand. key_file
 * is the key's `file` output when it has one, else the Console's placeholder.
 */
import type { KeyDescriptionInput } from '../module.js';

/** The Console's placeholder for the private key's path. */
export const KEY_FILE_PLACEHOLDER = '<path to your private key file> # TODO';

/** The lines state show prints after the state record. */
export function describeOciKey(input: KeyDescriptionInput): readonly string[] {
  const v = input.values;
  const pem = v['public_key'] ?? stringAttr(input.attributes, 'public_key');
  const lines =
    pem === undefined ? ['Public key: not found at the provider (the key may have been deleted there)'] : ['Public key:', ...pem.trimEnd().split('\n')];
  lines.push('', 'OCI config file (as the Console\u2019s "View configuration file" shows it):', '[DEFAULT]');
  for (const field of ['user', 'fingerprint', 'tenancy', 'region'] as const) {
    const value = v[field] ?? stringAttr(input.attributes, field);
    lines.push(`${field}=${value ?? '<unknown>'}`);
  }
  lines.push(`key_file=${input.keyFile ?? KEY_FILE_PLACEHOLDER}`);
  return lines;
}

function stringAttr(attributes: KeyDescriptionInput['attributes'], name: string): string | undefined {
  const a = attributes[name];
  return typeof a === 'string' && a !== '' ? a : undefined;
}
