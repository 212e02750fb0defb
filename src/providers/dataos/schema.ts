/**
 * JSON-Schema fragments of the `dataos` provider: its provider block and the
 * `dataos.api_key` key entry (assembled by the config layer).
 */
import type { JsonSchema } from '../module.js';
import { kindOutputTypeSchema } from '../shared/kind-outputs.js';
import { limitsSchemaProperties } from '../shared/limits.js';
import { DATAOS_LIMITS } from './settings.js';

export const dataosBlockSchema: JsonSchema = {
  description:
    'DataOS (The Modern Data Company): API key tokens through Heimdall at `{url}/heimdall/api/v1`, authenticated with a DataOS API token read from an environment variable; or the local sandbox emulator.',
  properties: {
    url: {
      title: 'DataOS instance URL',
      description:
        'Base URL of the DataOS instance, e.g. `https://acme.dataos.app`. https only; plain http is accepted for 127.0.0.1 and localhost (a local emulator).',
      type: 'string',
      pattern: '^(https://[^\\s/?#@]+(/[^\\s?#]*)?|http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?(/[^\\s?#]*)?)$',
      patternErrorMessage: 'must be an https URL such as https://acme.dataos.app (plain http only for 127.0.0.1 or localhost)',
    },
    endpoint: {
      title: 'Endpoint',
      description: '`sandbox` starts the local Heimdall emulator in-process (no DataOS instance needed), instead of `url`.',
      const: 'sandbox',
      errorMessage: 'must be "sandbox" (a real instance goes in url)',
    },
    token_env: {
      $ref: '#/definitions/env_name',
      title: 'API token variable',
      description:
        "Environment variable holding the DataOS API token keyplan authenticates with; its user must be allowed to manage the tokens of the keys' users. Required with `url`. With `endpoint: sandbox` the sandbox's own token is used unless this is set. Only the name is ever stored or printed.",
    },
    auth_header: {
      title: 'Auth header',
      description: 'How the token is sent: `apikey` (an `apikey:` header, as the DataOS SDKs do) or `bearer` (`Authorization: Bearer`). Default: `apikey`.',
      enum: ['apikey', 'bearer'],
      default: 'apikey',
    },
    ...limitsSchemaProperties('DataOS', DATAOS_LIMITS),
  },
  if: {
    properties: {
      endpoint: true,
    },
    required: ['endpoint'],
  },
  then: {
    not: {
      properties: {
        url: true,
      },
      required: ['url'],
    },
    errorMessage: 'set either url or endpoint: sandbox, not both',
  },
  else: {
    properties: {
      url: true,
      token_env: true,
    },
    required: ['url', 'token_env'],
  },
};

export const dataosApiKeySchema: JsonSchema = {
  description:
    'DataOS API key: a token of a DataOS user, created through Heimdall under `token_name` and written to the outputs. A rotation creates the next generation name (`NAME-2`, `NAME-3`, …) so the old and the new token overlap, then deletes the old one.',
  properties: {
    token_name: {
      title: 'Token name',
      description:
        "Name of the token in Heimdall (`dataos-ctl user apikey get` shows it). Default: the key's name. Rotations add `-2`, `-3`, … to it. A token of that name keyplan does not manage is reported, never taken over. Changing it replaces the key.",
      type: 'string',
      pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$',
      maxLength: 60,
      patternErrorMessage: 'must contain only letters, digits, "_" and "-", not starting with "-"',
    },
    user: {
      title: 'User id',
      description: "DataOS user id the token belongs to, e.g. `iamgroot`. Default: the user of the provider's API token. Changing it replaces the key.",
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._@+-]*$',
      maxLength: 128,
      patternErrorMessage: 'must be a DataOS user id (letters, digits and ._@+-, starting with a letter or digit)',
    },
    duration: {
      title: 'Lifetime',
      description:
        'Go-style lifetime of each token, at least one hour: `24h` (the default, like dataos-ctl), `720h`, `1h30m`. Heimdall truncates the expiry to the hour. Pair it with rotation.before_expiry. Changing it replaces the key.',
      type: 'string',
      pattern: '^0*[1-9][0-9]*h([0-9]+m)?([0-9]+s)?$',
      default: '24h',
      patternErrorMessage: 'must be a Go duration of at least one hour, such as 24h, 720h or 1h30m',
    },
    outputs: {
      title: 'Outputs',
      description:
        'Where the token goes: `file` (the bare token, no trailing newline), `env_file` (TOKEN, NAME, USER, EXPIRATION; e.g. prefix `DATAOS_`), `exec` (the token as `file` and `secrets.token` of the document) or a secret store.',
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: kindOutputTypeSchema(
            'a dataos.api_key',
            [],
            'The core output types (`file`, `env_file`, `exec`, secret stores): a DataOS token goes to no CLI profile.',
          ),
        },
      },
    },
  },
};
