/**
 * JSON-Schema fragments of the `oci` provider: its provider block, the `oci.api_key` key
 * entry and the `oci_config` output. The config layer assembles them into the one schema
 * (schemas/keys.schema.json is generated from it); descriptions are what editors show.
 */
import type { JsonSchema } from '../module.js';
import { limitsSchemaProperties } from '../shared/limits.js';
import { profileOutputSchema } from '../shared/profile-output.js';
import { OCI_LIMITS } from './settings.js';

export const ociBlockSchema: JsonSchema = {
  description: 'Oracle Cloud Infrastructure: credentials from an OCI config file profile, or the local sandbox emulator.',
  properties: {
    config_file: {
      $ref: '#/definitions/path',
      title: 'OCI config file',
      description:
        'OCI SDK/CLI config file (INI) with an API key or session-token (`security_token_file`) profile. `~` is expanded. Default: `OCI_CLI_CONFIG_FILE`, else `~/.oci/config`. Not used with `endpoint: sandbox`.',
      default: '~/.oci/config',
    },
    profile: {
      title: 'OCI config profile',
      description: 'Profile in the config file; keys it lacks are inherited from DEFAULT. Default: `DEFAULT`.',
      type: 'string',
      minLength: 1,
      default: 'DEFAULT',
    },
    region: {
      title: 'Region',
      description: "OCI region identifier, e.g. `us-ashburn-1`. Default: the profile's region.",
      type: 'string',
      pattern: '^[a-z0-9]+(-[a-z0-9]+)+$',
      patternErrorMessage: 'must be an OCI region identifier such as us-ashburn-1',
    },
    endpoint: {
      title: 'Endpoint',
      description:
        "`sandbox` starts the local OCI emulator (Identity and Big Data Service) in-process (no cloud account); an http(s) URL overrides the Identity and Big Data Service endpoints. Default: the region's public endpoints.",
      type: 'string',
      pattern: '^(sandbox|https?://[^\\s]+)$',
      patternErrorMessage: 'must be "sandbox" or an http(s) URL',
    },
    max_attempts: {
      title: 'Attempts per call',
      description:
        "How many times the OCI SDK tries one call on throttling, 5xx and network errors (1 turns retries off). Default: the SDK's 8 attempts with exponential backoff.",
      type: 'integer',
      minimum: 1,
      maximum: 10,
    },
    pass_phrase_env: {
      $ref: '#/definitions/env_name',
      title: 'Passphrase variable of the signing key',
      description: "Environment variable holding the passphrase of the profile's own (encrypted) key_file, instead of a pass_phrase line in the config file.",
    },
    ...limitsSchemaProperties('OCI', OCI_LIMITS),
  },
};

export const ociApiKeySchema: JsonSchema = {
  description:
    'OCI IAM API signing key: keyplan generates an RSA key pair, uploads the public key to the user and writes the encrypted private key to the outputs. At most 3 per user.',
  required: ['user', 'passphrase'],
  properties: {
    outputs: true,
    passphrase: true,
    user: {
      title: 'User OCID',
      description: 'OCID of the IAM user the key belongs to.',
      type: 'string',
      pattern: '^ocid1\\.user\\.',
      patternErrorMessage: 'must be a user OCID (ocid1.user.…)',
    },
    bits: {
      title: 'RSA key size',
      description: 'RSA modulus size in bits. Default: 2048.',
      enum: [2048, 3072, 4096],
      default: 2048,
    },
  },
};

export const ociConfigOutputSchema: JsonSchema = profileOutputSchema(
  "Profile (section) keyplan adds or replaces; other profiles in the file are left untouched. Its key_file is the key's `file` output.",
);
