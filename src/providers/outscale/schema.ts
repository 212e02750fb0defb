/**
 * JSON-Schema fragments of the `outscale` provider: its provider block, the
 * `outscale.access_key` key entry and the `osc_config` output (assembled by the config layer).
 */
import type { JsonSchema } from '../module.js';
import { kindOutputTypeSchema } from '../shared/kind-outputs.js';
import { limitsSchemaProperties } from '../shared/limits.js';
import { profileOutputSchema } from '../shared/profile-output.js';
import { OUTSCALE_LIMITS } from './settings.js';

export const outscaleBlockSchema: JsonSchema = {
  description:
    '3DS OUTSCALE API: access keys from a profile of ~/.osc/config.json or the OSC_* environment variables, or a login and password (auth: basic), or the local sandbox emulator.',
  properties: {
    region: {
      title: 'Region',
      description: "OUTSCALE region, e.g. `eu-west-2`. Default: the profile's region, then OSC_REGION, then `eu-west-2`.",
      type: 'string',
      pattern: '^[a-z0-9]+(-[a-z0-9]+)+$',
      patternErrorMessage: 'must be an OUTSCALE region such as eu-west-2',
    },
    profile: {
      title: 'Profile',
      description:
        'Profile of the OUTSCALE config file keyplan signs with. Default: OSC_PROFILE; else the access key in OSC_ACCESS_KEY/OSC_SECRET_KEY when set; else `default`.',
      type: 'string',
      minLength: 1,
    },
    config_file: {
      $ref: '#/definitions/path',
      title: 'OUTSCALE config file',
      description: 'The JSON config file of osc-cli, oapi-cli and the SDKs. `~` is expanded. Default: OSC_CONFIG_FILE, else `~/.osc/config.json`.',
    },
    endpoint: {
      title: 'Endpoint',
      description:
        "`sandbox` starts the local OUTSCALE emulator in-process (no account needed); a URL or host name replaces `https://api.{region}.outscale.com/api/v1`. Default: the profile's endpoints.api, then OSC_ENDPOINT_API, then the region's public endpoint.",
      type: 'string',
      pattern: '^(sandbox|https?://[^\\s]+|[A-Za-z0-9.-]+(:[0-9]+)?(/[^\\s]*)?)$',
      patternErrorMessage: 'must be "sandbox", an http(s) URL or a host name',
    },
    auth: {
      title: 'Authentication',
      description:
        "`signature`: requests are signed with an access key (OSC4). `basic`: the account's login and password, read from login_env and password_env. Default: `signature`.",
      enum: ['signature', 'basic'],
    },
    signature_scheme: {
      title: 'Signature scheme',
      description: "`OSC4` (OUTSCALE's own, as osc-cli signs) or `AWS4` (as the official SDKs sign). Default: `OSC4`.",
      enum: ['OSC4', 'AWS4'],
    },
    login_env: {
      $ref: '#/definitions/env_name',
      title: 'Login variable',
      description: 'With auth: basic, the environment variable holding the account login (email). Default: OSC_LOGIN.',
    },
    password_env: {
      $ref: '#/definitions/env_name',
      title: 'Password variable',
      description: 'With auth: basic, the environment variable holding the account password. Default: OSC_PASSWORD. Only its name is ever stored or printed.',
    },
    ...limitsSchemaProperties('OUTSCALE', OUTSCALE_LIMITS),
  },
};

export const accessKeySchema: JsonSchema = {
  description:
    '3DS OUTSCALE access key (AK/SK): OUTSCALE returns the secret key only once, when the key is created, so keyplan writes it to the outputs right away. At most 10 per user (and 10 for the account itself).',
  required: ['outputs'],
  properties: {
    outputs: {
      title: 'Outputs',
      description:
        'Where the secret key goes: `file` (JSON with access_key, secret_key, region), `env_file` (ACCESS_KEY, SECRET_KEY, REGION; prefix `OSC_` gives the variables the OUTSCALE tools read) or `osc_config` (a profile of ~/.osc/config.json). At least one: the secret cannot be read back later.',
      type: 'array',
      minItems: 1,
      errorMessage: 'must list at least one output: OUTSCALE shows the secret key only once, at creation, so it must be written somewhere',
      items: {
        type: 'object',
        properties: {
          type: kindOutputTypeSchema(
            'an outscale.access_key',
            ['osc_config'],
            'An outscale.access_key writes the core outputs (`file`, `env_file`, `exec`, secret stores) or `osc_config` (not oci_config).',
          ),
        },
      },
    },
    user_name: {
      title: 'EIM user',
      description:
        "Name of the EIM user the key belongs to. Default: none, the caller's own keys (the account, or the EIM user keyplan signs as). Changing it replaces the key.",
      type: 'string',
      pattern: '^[A-Za-z0-9+=,.@_-]{1,64}$',
      patternErrorMessage: 'must be an EIM user name (up to 64 letters, digits and +=,.@_-)',
    },
    expires_in: {
      title: 'Lifetime',
      description:
        'How long the key lives, counted from its creation: whole minutes or more, e.g. `90d`, `720h`. Default: never expires. Changing it moves the expiry in place (creation + expires_in). Pair it with rotation.before_expiry so keyplan replaces the key in time.',
      type: 'string',
      pattern: '^0*[1-9][0-9]*(m|h|d|w)([0-9]+(m|h|d|w))*$',
      patternErrorMessage: 'must be a positive duration in whole minutes or more, such as 90d, 720h or 30m',
    },
    state: {
      title: 'State',
      description: '`ACTIVE` or `INACTIVE` (the key exists but cannot sign). Changed in place, keeping the expiry. Default: ACTIVE.',
      enum: ['ACTIVE', 'INACTIVE'],
      default: 'ACTIVE',
    },
  },
};

export const oscConfigOutputSchema: JsonSchema = profileOutputSchema(
  'Profile keyplan adds or replaces in the OUTSCALE config file (access_key, secret_key, region); other profiles are left as they are, and a profile keyplan did not write for this key is never overwritten.',
);
