/** keys.yaml fields of a `vault_kv` output, and how a validated entry reads as settings. */
import type { OutputSpec } from '../../model/desired.js';
import type { JsonSchema } from '../../providers/module.js';

/** The `address` that points the output at the sandbox's Vault emulator. */
export const SANDBOX_ADDRESS = 'sandbox';

const NAME = '^[A-Za-z0-9_.-]+$';

/** `{ type: vault_kv, address, mount, path, token_env, namespace?, fields? }`; `token_env` is not needed with `address: sandbox`. */
export const vaultKvOutputSchema: JsonSchema = {
  required: ['address', 'mount', 'path'],
  properties: {
    address: {
      title: 'Vault address',
      description:
        'Base URL of the Vault or OpenBao server, e.g. `https://vault.example.com:8200` (what `VAULT_ADDR` holds), or `sandbox` for the sandbox’s emulator.',
      type: 'string',
      pattern: '^(sandbox|https?://[^\\s/]+(/[^\\s]*)?)$',
      patternErrorMessage: 'must be an http(s) URL such as https://vault.example.com:8200, or `sandbox`',
    },
    mount: {
      title: 'KV mount',
      description: 'Path of the KV version 2 secrets engine, e.g. `secret` (a dev server’s default) or `team/kv`.',
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$',
      patternErrorMessage: 'must be a mount path such as `secret`, without slashes at either end',
    },
    path: {
      title: 'Secret path',
      description: 'Path of the secret inside the mount, e.g. `ci/deploy` (read it with `vault kv get -mount=secret ci/deploy`).',
      type: 'string',
      pattern: '^[A-Za-z0-9_.@-]+(/[A-Za-z0-9_.@-]+)*$',
      patternErrorMessage: 'must be a secret path such as `ci/deploy`, without slashes at either end',
    },
    token_env: {
      title: 'Token variable',
      description:
        'Name of the environment variable holding the Vault token (needs create, update and read on `<mount>/data/<path>` and read on `<mount>/metadata/<path>`; for rollbacks, update on `<mount>/destroy/<path>` and delete on `<mount>/metadata/<path>`). Not needed with `address: sandbox`.',
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      patternErrorMessage: 'must be an environment variable name (letters, digits and "_", not starting with a digit)',
    },
    namespace: {
      title: 'Namespace',
      description: 'Vault Enterprise or OpenBao namespace, sent as `X-Vault-Namespace`, e.g. `team1`.',
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$',
      patternErrorMessage: 'must be a namespace such as `team1` or `org/team1`',
    },
    fields: {
      title: 'Fields',
      description:
        'Which of the key’s values and secrets to write, and under which Vault field names: `{secret_key: AWS_SECRET_ACCESS_KEY, access_key: AWS_ACCESS_KEY_ID}`; `file` names the key’s file content. Default: every value and secret under its own name.',
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: NAME, patternErrorMessage: 'must be the name of a value or secret of the key, or `file`' },
      additionalProperties: { type: 'string', pattern: NAME, patternErrorMessage: 'must be a Vault field name (letters, digits, `_`, `.` and `-`)' },
    },
  },
  if: { properties: { address: { const: SANDBOX_ADDRESS } } },
  else: { properties: { token_env: true }, required: ['token_env'] },
};

/** A `vault_kv` output entry as settings (the schema has checked the types). */
export interface VaultKvSettings {
  readonly address: string;
  readonly mount: string;
  readonly path: string;
  readonly tokenEnv: string | undefined;
  /** Without slashes at either end; undefined for the root namespace. */
  readonly namespace: string | undefined;
  /** Material name → Vault field name; undefined writes every value and secret. */
  readonly fields: Readonly<Record<string, string>> | undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads the settings of a validated entry. */
export function vaultKvSettings(spec: OutputSpec): VaultKvSettings {
  const fields = spec['fields'];
  const namespace = text(spec['namespace'])?.replace(/\/+$/, '');
  return {
    address: (text(spec['address']) ?? '').replace(/\/+$/, ''),
    mount: text(spec['mount']) ?? '',
    path: text(spec['path']) ?? '',
    tokenEnv: text(spec['token_env']),
    namespace: namespace === '' ? undefined : namespace,
    fields: typeof fields === 'object' && fields !== null ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])) : undefined,
  };
}

/** Where the output delivers, for messages: `[namespace/]mount/data/path`. */
export function describeVaultKv(spec: OutputSpec): string {
  const s = vaultKvSettings(spec);
  return `${s.namespace === undefined ? '' : `${s.namespace}/`}${s.mount}/data/${s.path}`;
}
