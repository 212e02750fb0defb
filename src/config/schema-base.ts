/**
 * The provider-independent part of the keys.yaml JSON Schema: the top level and the
 * shared definitions. schema-build.ts adds each provider's block, each kind's fields and
 * each output type from the registry; the enums left empty here are filled there.
 */
import type { JsonSchema } from '../providers/module.js';

export const keysSchemaBase: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'keyplan keys.yaml',
  description:
    'Declares the API keys keyplan manages. Load it in an editor with `# yaml-language-server: $schema=./schemas/keys.schema.json`. Generated from the provider modules keyplan ships (npm run build); do not edit by hand.',
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: {
    version: {
      title: 'Config format version',
      description: 'Format version of this file. Only 1 exists.',
      const: 1,
      errorMessage: 'must be 1 (the only config version this keyplan reads)',
    },
    state: {
      $ref: '#/definitions/state',
    },
    providers: {
      title: 'Provider blocks',
      description: 'Named provider blocks; a key refers to one by name in its `provider` field.',
      type: 'object',
      propertyNames: {
        $ref: '#/definitions/name',
      },
      additionalProperties: {
        $ref: '#/definitions/provider',
      },
    },
    defaults: {
      title: 'Defaults for every key',
      description: 'Settings every key inherits unless it sets its own.',
      type: 'object',
      additionalProperties: false,
      properties: {
        rotation: {
          $ref: '#/definitions/rotation',
        },
      },
    },
    keys: {
      title: 'Keys',
      description: 'The keys keyplan creates, rotates and deletes, applied in dependency order.',
      type: 'array',
      items: {
        $ref: '#/definitions/key',
      },
    },
  },
  definitions: {
    name: {
      title: 'Name',
      description: 'Lowercase letters, digits, `-` and `_`, starting with a letter or digit; at most 64 characters.',
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      maxLength: 64,
      patternErrorMessage: 'must start with a lowercase letter or digit and contain only a-z, 0-9, "-" and "_"',
    },
    env_name: {
      title: 'Environment variable name',
      description: 'Name of an environment variable (letters, digits, `_`; not starting with a digit). Only the name is stored or printed, never the value.',
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      patternErrorMessage: 'must be an environment variable name (letters, digits and "_", not starting with a digit)',
    },
    duration: {
      title: 'Duration',
      description: 'A number and a unit (ms, s, m, h, d, w), or a sum of them: `90d`, `12h`, `1d12h`, `720h`.',
      type: 'string',
      pattern: '^([0-9]+(ms|s|m|h|d|w))+$',
      patternErrorMessage: 'must be a duration such as 90d, 12h or 1d12h',
    },
    path: {
      title: 'Path',
      description: 'File path, relative to the folder of keys.yaml unless absolute.',
      type: 'string',
      minLength: 1,
    },
    state: {
      title: 'State backend',
      description: 'Where keyplan keeps its state (no secrets). Default: `{ backend: local, path: .keyplan/state.json }`.',
      type: 'object',
      required: ['backend'],
      properties: {
        backend: {
          title: 'Backend',
          description:
            '`local`: a JSON file with a lock file beside it. `postgres`: tables in a PostgreSQL database (schema `keyplan`) with an advisory lock, shared by several machines.',
          enum: ['local', 'postgres'],
        },
      },
      allOf: [
        {
          if: {
            properties: {
              backend: {
                const: 'local',
              },
            },
            required: ['backend'],
          },
          then: {
            properties: {
              backend: true,
              path: {
                $ref: '#/definitions/path',
                title: 'State file',
                description: 'Path of the state file. Default: `.keyplan/state.json`.',
              },
            },
            additionalProperties: false,
          },
        },
        {
          if: {
            properties: {
              backend: {
                const: 'postgres',
              },
            },
            required: ['backend'],
          },
          then: {
            required: ['url_env'],
            properties: {
              backend: true,
              url_env: {
                $ref: '#/definitions/env_name',
                title: 'Connection URL variable',
                description:
                  'Environment variable holding the postgres connection URL (`postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=verify-full`), e.g. KEYPLAN_PG_URL. The URL is never written in keys.yaml, and its password is never printed.',
              },
              name: {
                title: 'State name',
                description:
                  'Name of this state in the database, so several configs can share one database. Default: the config file name without its extension (`keys` for keys.yaml), other characters than letters, digits, `.`, `_` and `-` replaced by `-`.',
                type: 'string',
                pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
                maxLength: 63,
              },
              ca_file: {
                $ref: '#/definitions/path',
                title: 'CA certificate file',
                description:
                  'PEM file of the certificate authority the server certificate must chain to (TLS), relative to the folder of keys.yaml unless absolute.',
              },
            },
            additionalProperties: false,
          },
        },
      ],
    },
    provider: {
      title: 'Provider block',
      description: 'Connection settings of one provider account.',
      type: 'object',
      required: ['type'],
      properties: {
        type: {
          title: 'Provider type',
          description: 'Which provider API this block talks to.',
          enum: [],
        },
      },
    },
    rotation: {
      title: 'Rotation policy',
      description: "When keys are replaced. A key's own rotation overrides defaults.rotation field by field.",
      type: 'object',
      additionalProperties: false,
      properties: {
        max_age: {
          $ref: '#/definitions/duration',
          title: 'Maximum age',
          description: 'Rotate a key once it is this old, e.g. `90d`. Default: never.',
        },
        overlap: {
          $ref: '#/definitions/duration',
          title: 'Overlap',
          description: 'Keep the replaced key this long after its successor reached its outputs; must be shorter than max_age. Default: `0s`.',
        },
        before_expiry: {
          $ref: '#/definitions/duration',
          title: 'Rotate before expiry',
          description: 'Rotate when less than this remains before the key expires (kinds whose keys expire).',
        },
        deactivate_for: {
          $ref: '#/definitions/duration',
          title: 'Deactivate for',
          description:
            'After the overlap, keep the replaced key deactivated this long (it fails authentication but `keyplan rotation undo` can bring it back) before deleting it, e.g. `7d`. Only for kinds whose provider can deactivate keys; validate names the others. Default: deleted when the overlap ends.',
        },
        verify: {
          title: 'Verify',
          description:
            'After a new key reached its outputs, authenticate with it before the step counts as done and before the old key retires; `false` skips that. Kinds whose provider cannot check a credential are not verified. Default: true.',
          type: 'boolean',
        },
        verify_timeout: {
          $ref: '#/definitions/duration',
          title: 'Verify timeout',
          description:
            'How long verification retries (with backoff) while the provider does not yet accept a new key, e.g. while it propagates. A rotation then keeps the old key current and the next apply verifies again; a new key is deleted again. Default: `2m`.',
        },
        require_overlap: {
          title: 'Require overlap',
          description: 'Refuse a rotation that the per-user key quota would force into delete-before-create. Default: false.',
          type: 'boolean',
        },
      },
    },
    passphrase: {
      title: 'Passphrase',
      description:
        '`{ env: NAME }` reads the passphrase from environment variable NAME at apply time; the string `none` leaves the private key unencrypted (explicit opt-out).',
      type: ['object', 'string'],
      errorMessage: 'must be { env: VARIABLE } or the string "none"',
      if: {
        type: 'string',
      },
      then: {
        const: 'none',
        errorMessage: 'must be { env: VARIABLE } or the string "none"',
      },
      else: {
        required: ['env'],
        properties: {
          env: {
            $ref: '#/definitions/env_name',
            title: 'Passphrase variable',
            description: 'Environment variable holding the passphrase. Only its name is ever stored or printed.',
          },
        },
        additionalProperties: false,
      },
    },
    output: {
      title: 'Output',
      description: "A place the key's secret material is written to when it is created.",
      type: 'object',
      required: ['type'],
      properties: {
        type: {
          title: 'Output type',
          description: '',
          enum: [],
        },
        path: {
          $ref: '#/definitions/path',
        },
      },
    },
    key: {
      title: 'Key',
      description: 'One declared key. The fields beyond the common ones depend on `kind`.',
      type: 'object',
      required: ['name', 'kind', 'provider'],
      properties: {
        name: {
          $ref: '#/definitions/name',
          title: 'Key name',
          description: 'Unique name of the key: its identity in state, plans, `--target` and `--rotate`.',
        },
        kind: {
          title: 'Key kind',
          description: "What sort of key this is; each kind's fields are described with it.",
          enum: [],
        },
        provider: {
          title: 'Provider',
          description: 'Name of a block under `providers`, whose type must suit the kind.',
          type: 'string',
          minLength: 1,
        },
        depends_on: {
          title: 'Depends on',
          description: 'Names of keys that are applied before this one.',
          type: 'array',
          uniqueItems: true,
          items: {
            $ref: '#/definitions/name',
          },
        },
        rotation: {
          $ref: '#/definitions/rotation',
        },
        passphrase: {
          $ref: '#/definitions/passphrase',
        },
        outputs: {
          title: 'Outputs',
          description:
            'Where the secret material goes when the key is created. Each path may be written by only one output (profile outputs may share a file with distinct profiles).',
          type: 'array',
          items: {
            $ref: '#/definitions/output',
          },
        },
      },
    },
  },
};
