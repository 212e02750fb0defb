/** keys.yaml fields of a `github_secret` output. */
import type { JsonSchema } from '../../providers/module.js';

/** A subschema that holds when `field` is set (ajv's strict mode wants the property named beside `required`). */
const has = (field: string): JsonSchema => ({ properties: { [field]: true }, required: [field] });

/** `{ type: github_secret, repository | organization, environment?, visibility?, name, token_env, api_url?, field? }`. */
export const githubSecretSchema: JsonSchema = {
  required: ['name'],
  properties: {
    repository: {
      title: 'Repository',
      description: 'The repository whose Actions secret is written, as `owner/repo`. Set this or `organization`.',
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$',
      patternErrorMessage: 'must be owner/repo, e.g. octo-org/deploy',
    },
    environment: {
      title: 'Environment',
      description:
        "A deployment environment of `repository` (e.g. `production`): the secret is written to the environment's secrets, which only jobs of that environment see.",
      type: 'string',
      minLength: 1,
      maxLength: 255,
    },
    organization: {
      title: 'Organization',
      description: 'The organization whose Actions secret is written (an organization secret). Set this or `repository`.',
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$',
      patternErrorMessage: 'must be an organization login: letters, digits and "-"',
    },
    visibility: {
      title: 'Visibility',
      description:
        'Which repositories of the organization see an organization secret: `all`, `private` (private and internal ones) or `selected`. Default: `private`.',
      enum: ['all', 'private', 'selected'],
    },
    name: {
      title: 'Secret name',
      description:
        'Name of the Actions secret, e.g. `DEPLOY_API_KEY`: letters, digits and "_", not starting with a digit or `GITHUB_`. GitHub stores it upper-case.',
      type: 'string',
      pattern: '^(?![Gg][Ii][Tt][Hh][Uu][Bb]_)[A-Za-z_][A-Za-z0-9_]*$',
      patternErrorMessage: 'must contain only letters, digits and "_", and start with neither a digit nor GITHUB_ (GitHub\'s secret name rules)',
    },
    token_env: {
      $ref: '#/definitions/env_name',
      title: 'GitHub token variable',
      description:
        'Environment variable holding the GitHub token keyplan writes the secret with: a fine-grained token or GitHub App token with the "Secrets" permission (read and write) on the repository or organization, or a classic token with `repo` (`admin:org` for organization secrets). Required unless `api_url: sandbox`. Only the name is ever stored or printed.',
    },
    api_url: {
      title: 'API URL',
      description:
        "GitHub's REST API root: `https://api.github.com` (the default), `https://HOST/api/v3` for GitHub Enterprise Server, or `sandbox` for keyplan's GitHub emulator (which decrypts what it receives, for tests).",
      type: 'string',
      pattern: '^(sandbox|https://[^\\s/?#@]+(/[^\\s?#]*)?|http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?(/[^\\s?#]*)?)$',
      patternErrorMessage: 'must be "sandbox" or an https URL such as https://api.github.com (plain http only for 127.0.0.1 or localhost)',
    },
    field: {
      title: 'Field',
      description:
        "Which of the key's values becomes the secret: `file` (the default: what a `file` output holds, e.g. a private key PEM or an access key's JSON document), or one named value of the kind, such as `secret_key` (an access key's secret alone), `private_key` or `token`.",
      type: 'string',
      pattern: '^[a-z][a-z0-9_]*$',
      patternErrorMessage: 'must be a value name such as file, secret_key or private_key',
    },
  },
  allOf: [
    {
      if: has('organization'),
      then: {
        not: { anyOf: [has('repository'), has('environment')] },
        errorMessage: 'set either organization or repository (with its environment), not both',
      },
      else: has('repository'),
    },
    {
      if: has('visibility'),
      then: { not: has('repository'), errorMessage: 'visibility applies to organization secrets only' },
    },
    {
      if: { properties: { api_url: { const: 'sandbox' } }, required: ['api_url'] },
      else: has('token_env'),
    },
  ],
};
