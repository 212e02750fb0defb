/**
 * The static half of a provider: what keyplan needs to know about it without loading its
 * SDK or talking to it. A provider folder exports one `ProviderModule`; the registry lists
 * them, and config, the planner, outputs and the sandbox read everything vendor-specific
 * from there. The dynamic half is the adapter (contract.ts), made by `createAdapter`.
 *
 * A module file must be cheap to import: schema fragments, metadata and small pure
 * functions only. SDKs, HTTP clients and emulators are imported lazily inside
 * `createAdapter`, output writers and `startSandbox`.
 */
import type { Secret } from '../model/secret.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { Attributes, OutputSpec, ProviderBlock } from '../model/desired.js';
import type { SourceRange } from '../model/source.js';
import type { AdapterFactory, KindSpec, SandboxEndpoint, SecretMaterial, ValidateRequest } from './contract.js';

/** A JSON Schema (draft-07) object, as written in a fragment. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One `keys[i]` entry after it passed the schema, as written (snake_case). */
export interface KindEntry {
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly [field: string]: unknown;
}

/** What a kind contributes to its DesiredKey. */
export interface KindMapping {
  /** Quota and listing scope inside the provider (e.g. the user a key belongs to). */
  readonly owner: string;
  /** Declared, non-secret attributes, with defaults filled in. */
  readonly attributes: Attributes;
}

/** One key kind: its metadata, its keys.yaml fields and how they become a DesiredKey. */
export interface KindModule {
  readonly spec: KindSpec;
  /**
   * JSON Schema of the kind's key entry, applied when `kind` equals `spec.kind`: its
   * `properties` (the common fields `name`, `kind`, `provider`, `depends_on`, `rotation`,
   * `passphrase`, `outputs` may be set to `true` to allow them, or narrowed), `required`,
   * `description`. The config builds `additionalProperties: false` around it.
   */
  readonly schema: JsonSchema;
  /** Turns a schema-valid entry into owner and attributes. */
  map(entry: KindEntry): KindMapping;
  /**
   * The key entry field holding each key's lifetime as a duration text (`expires_in`,
   * `duration`) and its default, so validate can refuse a `rotation.before_expiry` that is
   * not shorter (every apply would rotate again).
   */
  readonly lifetime?: { readonly field: string; readonly default?: string };
  /**
   * Extra lines `keyplan state show` prints for a key of this kind, so a consumer can be
   * set up by hand (e.g. a CLI config snippet), from what the adapter's `describe` read.
   */
  describeKey?(input: KeyDescriptionInput): readonly string[];
  /**
   * RFC 3339 expiry of a recorded key, read from what state holds (`keyplan status`, which
   * makes no provider call). Without it, status uses the creation time plus `lifetime`.
   */
  expiresAt?(instance: { readonly createdAt: string; readonly attributes: Attributes }): string | undefined;
}

/** What a kind's `describeKey` renders. */
export interface KeyDescriptionInput {
  /** The adapter's `describe` values (DescribeResult). */
  readonly values: Readonly<Record<string, string>>;
  /** The attributes state recorded for the key. */
  readonly attributes: Attributes;
  /** Resolved path of the key's `file` output, when keys.yaml declares one. */
  readonly keyFile?: string;
}

/** Where one output writes and what it may use. */
export interface OutputWriteContext {
  /** The output's resolved absolute `path`; set for outputs that write a file there (OutputModule.writesFileAtPath). */
  readonly absPath?: string;
  /** Folder of keys.yaml: relative paths and an `exec` command's working folder start there. */
  readonly baseDir: string;
  /** The key's name: ownership marker of shared files (profiles, env files). */
  readonly keyName: string;
  /** The key's kind, e.g. `acme.api_key`. */
  readonly kind: string;
  /** The key's owner (quota and listing scope in the provider). */
  readonly owner: string;
  /** The provider's id of the new key. */
  readonly liveId: string;
  /** Resolved absolute path of the key's `file` output, when it has one. */
  readonly keyFile?: string;
  /**
   * The environment keyplan runs with. Outputs read the variables their settings name
   * (`token_env`) from here, never from `process.env`, and never print their values.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborts a write in flight (Ctrl-C): network calls and child processes should stop. */
  readonly signal?: AbortSignal;
  /** The output's emulator, started by the engine when {@link OutputModule.usesSandbox} says so. */
  readonly sandbox?: SandboxEndpoint;
}

/**
 * Puts back what one output's write replaced: a file's previous content (or removes the
 * file), a Vault secret's previous version, an `exec` output's `undo` command. Run when a
 * later output of the same key fails. Throws an Error naming what could not be put back
 * (never a secret value), which ends up in the failed step's message.
 */
export type OutputUndo = () => Promise<void>;

/** What an output's read-back found: the parts of the key's SecretMaterial it holds. */
export interface OutputReadBack {
  readonly file?: Secret;
  readonly secrets?: Readonly<Record<string, Secret>>;
}

/** A setting of an output that names an environment variable, and what the variable holds. */
export interface OutputEnvSetting {
  /** The output entry's field holding the variable's name, e.g. `token_env`. */
  readonly field: string;
  /** What the variable holds, for validate's message, e.g. `the Vault token`. */
  readonly holds: string;
}

/** An output type (`file`, `env_file`, a vendor's config-file profile, `exec`, a secret store, ...). */
export interface OutputModule {
  /** The `type` value in keys.yaml. */
  readonly type: string;
  /**
   * JSON Schema of the output entry (the `then` for `type: <type>`): properties and required.
   * File-based outputs allow and require `path` here; the base schema requires only `type`.
   */
  readonly schema: JsonSchema;
  /** One line for the output `type` description in the schema. */
  readonly summary: string;
  /**
   * Write order among a key's outputs; lower first, ties in declaration order. Outputs that
   * point at others go later; outputs whose write cannot be undone (GitHub secrets) go
   * last, so nothing written after them can fail. The orders in use are listed in
   * outputs/order.ts (OUTPUT_ORDER).
   */
  readonly order: number;
  /**
   * Set when the output's `path` is a file it writes (file, env_file, config-file profiles):
   * the path is resolved into OutputWriteContext.absPath and validate refuses two outputs
   * writing one file. Other outputs may use `path` for something else (a Vault secret path).
   */
  readonly writesFileAtPath?: boolean;
  /**
   * Where the output writes, for outputs that are not files but must not share a place
   * either (a Vault secret, a GitHub secret): validate refuses a second output of the same
   * type with the same destination, since the later write would replace the earlier one.
   * Leave it out when sharing is fine (an `exec` command may serve many keys).
   */
  destination?(spec: OutputSpec): string;
  /** Merges one profile per key into a shared file: several keys may name one path with distinct `profile`s. */
  readonly sharedByProfile?: boolean;
  /**
   * Set when this output points at the key's `file` output (a profile's key_file): why,
   * for the message when a key has no `file` output. The file is then written first.
   */
  readonly needsFileOutput?: string;
  /**
   * Names the output in messages, without its type: its path as written for file-based
   * outputs, otherwise where it delivers (e.g. `secret/data/ci` for vault_kv,
   * `octo/app CI_TOKEN` for github_secret). Never a secret or a token.
   */
  describe(spec: OutputSpec): string;
  /**
   * Writes the secret material; throws OutputError naming the output, never the secret.
   * Returns how to put back what it replaced, or undefined when nothing can be put back
   * (a GitHub secret cannot be read, so its previous value is unknown).
   */
  write(spec: OutputSpec, material: SecretMaterial, ctx: OutputWriteContext): Promise<OutputUndo | undefined>;
  /**
   * Reads back the secret this output delivered (to verify a rotation's new key again on a
   * later apply): the material's `file`, or the `secrets` named in `secretNames`, in memory
   * only. Undefined when the output does not hold them (gone, or written by hand since).
   * Absent for outputs that cannot be read (a GitHub secret, an `exec` command).
   */
  readBack?(spec: OutputSpec, ctx: OutputWriteContext, secretNames: readonly string[]): Promise<OutputReadBack | undefined>;
  /**
   * The settings of `spec` that name environment variables the write reads (token
   * variables), so validate reports unset ones by name. Leave out settings the sandbox
   * supplies when {@link usesSandbox} is true.
   */
  envSettings?(spec: OutputSpec): readonly OutputEnvSetting[];
  /** True when `spec` points at the sandbox (`address: sandbox`, `api_url: sandbox`): the engine starts {@link startSandbox}. */
  usesSandbox?(spec: OutputSpec): boolean;
  /** Starts this output type's emulator, for outputs pointed at the sandbox and `keyplan sandbox serve`. */
  startSandbox?(options: SandboxStartOptions): Promise<SandboxService>;
}

/** Options every emulator of the sandbox takes. */
export interface SandboxStartOptions {
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly latencyMs: number;
  readonly failRate: number;
  /** Provider-specific fault knobs, e.g. `bdsFailWorkRequests`. */
  readonly extra?: Readonly<Record<string, number>>;
}

/** A running emulator of the sandbox. */
export interface SandboxService {
  readonly endpoint: SandboxEndpoint;
  close(): Promise<void>;
}

/** How hard keyplan may drive one provider block: its `max_concurrency` and `requests_per_second` (shared/limits.ts). */
export interface ProviderLimits {
  /** Calls (and apply changes) in flight at once. */
  readonly maxConcurrency: number;
  /** Calls started per second; undefined: no rate limit. */
  readonly requestsPerSecond?: number;
}

/** The static description of one provider type. */
export interface ProviderModule {
  /** Provider block `type`, e.g. `acme`. */
  readonly type: string;
  /** Name for messages, e.g. `Acme Cloud`. */
  readonly displayName: string;
  /** JSON Schema of the provider block (the `then` for `type: <type>`); `type` is allowed by the config. */
  readonly blockSchema: JsonSchema;
  /** Settings filled in when a block leaves them out. */
  readonly blockDefaults?: Readonly<Record<string, unknown>>;
  /** Block settings that name an environment variable, and what it holds (validate checks they are set). */
  readonly envSettings?: Readonly<Record<string, string>>;
  readonly kinds: readonly KindModule[];
  /** Output types only this provider's kinds write (e.g. a CLI's config-file profile). */
  readonly outputs?: readonly OutputModule[];
  /** Offline checks of a block and its keys beyond the schema (no network, no SDK). */
  validate?(req: ValidateRequest): readonly Diagnostic[];
  /** The block's max_concurrency and requests_per_second, defaults applied (shared/limits.ts). @default GENERIC_LIMITS */
  limits?(block: ProviderBlock): ProviderLimits;
  /** Makes an unconfigured adapter (loads the SDK). */
  readonly createAdapter: AdapterFactory;
  /** Starts this provider's emulator for `endpoint: sandbox` and `keyplan sandbox serve`. */
  startSandbox?(options: SandboxStartOptions): Promise<SandboxService>;
}

/** Position of a key's field in the config, for offline checks' diagnostics. */
export type Locate = (keyName: string, field?: string) => SourceRange | undefined;
