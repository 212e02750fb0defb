/**
 * The resolved configuration: what the user declared in keys.yaml after parsing,
 * schema validation, defaults and semantic checks. Plain readonly data.
 */
import type { SourceRange } from './source.js';

/** A non-secret attribute value of a key, as compared by the planner and shown in plans. */
export type AttributeValue = string | number | boolean | null;

/** Non-secret attributes of a key, by name. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** Where a passphrase comes from: an environment variable (only its name is kept), or explicitly none. */
export type SecretSource = { readonly env: string } | { readonly none: true };

/** Rotation policy of one key, durations in milliseconds. */
export interface RotationPolicy {
  /** Rotate a key once it is this old. */
  readonly maxAgeMs?: number;
  /** Keep the replaced key this long after its successor reached its outputs. @default 0 */
  readonly overlapMs: number;
  /** Rotate when less than this remains before the key's expiry (kinds whose keys expire). */
  readonly beforeExpiryMs?: number;
  /** Refuse a rotation that the quota would force into delete-before-create. @default false */
  readonly requireOverlap: boolean;
  /**
   * After the overlap, keep the replaced key this long deactivated (it fails authentication
   * but can be brought back) before deleting it; only for kinds that can deactivate.
   * Undefined: deleted when the overlap ends.
   */
  readonly deactivateForMs?: number;
  /** Authenticate with a new key before its step counts as done (when its adapter can). The resolver always sets it. @default true */
  readonly verify?: boolean;
  /** How long verification retries a credential the provider does not accept yet. The resolver always sets it. @default 120000 (2m) */
  readonly verifyTimeoutMs?: number;
}

/**
 * A place secret material is delivered to, as written in keys.yaml: its `type` names an
 * output module (outputs/core.ts and the providers' own), which reads its other settings.
 * File-based outputs have a `path`, as written, relative to the config file's folder;
 * others (`exec`, `vault_kv`, `github_secret`) have none.
 */
export interface OutputSpec {
  readonly type: string;
  readonly [setting: string]: unknown;
}

/** One key the user declared. */
export interface DesiredKey {
  /** Unique name in the config; the key's identity in state, plans and `--target`. */
  readonly name: string;
  /** Key kind, `<provider type>.<kind>`, e.g. `acme.api_key`. */
  readonly kind: string;
  /** Name of the provider block in the config. */
  readonly provider: string;
  /** The quota and listing scope inside the provider (e.g. the user the key belongs to). */
  readonly owner: string;
  /** Declared, non-secret attributes the planner compares (e.g. user, key size). */
  readonly attributes: Attributes;
  readonly passphrase: SecretSource;
  readonly outputs: readonly OutputSpec[];
  /** Names of keys that must be applied first. */
  readonly dependsOn: readonly string[];
  readonly rotation: RotationPolicy;
  /** Where the key's entry starts in the config file. */
  readonly source?: SourceRange;
  /**
   * Where a field of the entry (`cluster`, `user`, `passphrase.env`, `outputs.0.token_env`) is
   * written, for errors found after loading; undefined when the entry does not write it. Looked
   * up on demand: only a diagnostic needs it, and finding every field of every key up front
   * was a sixth of loading a large keys.yaml.
   */
  readonly locateField?: (field: string) => SourceRange | undefined;
}

/** A provider block: `providers.<name>`. Settings are schema-validated; the adapter reads them. */
export interface ProviderBlock {
  readonly name: string;
  readonly type: string;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Where the settings that name environment variables are written, for errors found after loading. */
  readonly settingSources?: Readonly<Record<string, SourceRange>>;
}

/** Where state is kept. */
export type StateBackendConfig = { readonly backend: 'local'; readonly path: string } | PostgresStateConfig;

/** `state: { backend: postgres }`: where the shared state lives. Holds the variable's name only, never the URL. */
export interface PostgresStateConfig {
  readonly backend: 'postgres';
  /** Environment variable holding the connection URL. */
  readonly urlEnv: string;
  /** The state's name in the database (several configs can share one database). */
  readonly name: string;
  /** CA certificate file for TLS, as written (relative to the config's folder unless absolute). */
  readonly caFile?: string;
}

/** A loaded, validated keys.yaml. */
export interface KeyplanConfig {
  /** Path of the config file as given on the command line. */
  readonly file: string;
  /** Folder that relative paths in the config are resolved against. */
  readonly baseDir: string;
  /** sha256 (hex) of the config file's bytes; saved plans record it. */
  readonly hash: string;
  readonly state: StateBackendConfig;
  readonly providers: Readonly<Record<string, ProviderBlock>>;
  /** Declared keys, in file order. */
  readonly keys: readonly DesiredKey[];
}
