/**
 * The OCI CLI's environment variables, honoured as OCI users expect from `oci`, with the
 * keys.yaml provider block first (it is the reviewed, explicit choice):
 *
 *   config file:  config_file  > OCI_CLI_CONFIG_FILE > ~/.oci/config
 *   profile:      profile      > OCI_CLI_PROFILE     > DEFAULT
 *   region:       region       > OCI_CLI_REGION      > the profile's region
 *   user, tenancy, fingerprint, key_file:  OCI_CLI_<NAME> > the profile's value
 *
 * When OCI_CLI_USER, _TENANCY, _FINGERPRINT, _KEY_FILE and a region are all set, no config
 * file is needed (a CI job can sign from variables alone). OCI_CLI_AUTH may be `api_key`
 * or `security_token` (session-auth.ts decides when it is unset); other methods
 * (instance_principal, resource_principal) are refused with a message rather than ignored. [guess] The variable names follow the
 * OCI CLI's documented OCI_CLI_<SETTING> pattern; OCI_CLI_KEY_CONTENT is not honoured.
 */
export const DEFAULT_CONFIG_FILE = '~/.oci/config';
export const DEFAULT_PROFILE_NAME = 'DEFAULT';

/** Profile keys an OCI_CLI_<KEY> variable overrides. */
const PROFILE_VALUE_ENV: Readonly<Record<string, string>> = {
  user: 'OCI_CLI_USER',
  tenancy: 'OCI_CLI_TENANCY',
  fingerprint: 'OCI_CLI_FINGERPRINT',
  key_file: 'OCI_CLI_KEY_FILE',
  region: 'OCI_CLI_REGION',
};

type Env = Readonly<Record<string, string | undefined>>;

const set = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** Where the config file is, and whether anything but the default named it. */
export function configFileFrom(explicit: string | undefined, env: Env): { readonly path: string; readonly named: boolean } {
  const path = explicit ?? set(env, 'OCI_CLI_CONFIG_FILE');
  return { path: path ?? DEFAULT_CONFIG_FILE, named: path !== undefined };
}

export function profileFrom(explicit: string | undefined, env: Env): string {
  return explicit ?? set(env, 'OCI_CLI_PROFILE') ?? DEFAULT_PROFILE_NAME;
}

/** The profile's values with the OCI_CLI_* overrides applied. */
export function withEnvOverrides(values: Readonly<Record<string, string>>, env: Env): Record<string, string> {
  const merged: Record<string, string> = { ...values };
  for (const [key, name] of Object.entries(PROFILE_VALUE_ENV)) {
    const value = set(env, name);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** True when the variables alone say who to sign as (no config file needed). */
export function envIsComplete(env: Env): boolean {
  return Object.values(PROFILE_VALUE_ENV).every((name) => set(env, name) !== undefined);
}

/** A sentence explaining why OCI_CLI_AUTH cannot be used, or undefined when it can. */
export function unsupportedAuth(env: Env): string | undefined {
  const auth = set(env, 'OCI_CLI_AUTH');
  if (auth === undefined || auth === 'api_key' || auth === 'security_token') return undefined;
  return `OCI_CLI_AUTH=${auth} is not supported: keyplan signs with API keys or session tokens (OCI_CLI_AUTH=api_key, security_token, or unset)`;
}
