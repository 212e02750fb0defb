/**
 * The provider adapter contract (contractVersion 1). Every provider (OCI IAM and BDS,
 * OUTSCALE, DataOS) implements it; the engine talks to providers only through it.
 *
 * Rules:
 * - Each method takes one request object, so fields can be added without breaking adapters.
 * - Adapters read no environment variables and no global state: settings come through
 *   `configure`, secrets through requests, already wrapped in `Secret`.
 * - `list` returns live records, never key material.
 * - `create` is all-or-nothing: when it throws, no key exists. Before its mutating call it
 *   awaits `recordIntent`, so the engine can journal the call durably.
 * - `delete` of a key that is already gone succeeds. When it throws, the key still exists.
 * - The planner never calls an adapter: it reads the static `KindSpec` metadata instead.
 */
import type { Attributes, DesiredKey, ProviderBlock } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { Secret } from '../model/secret.js';
import type { Diagnostic } from '../errors/diagnostic.js';

export const CONTRACT_VERSION = 1;

/** Static facts about a key kind that the planner and config layers read. */
export interface KindSpec {
  /** e.g. `oci.api_key`. */
  readonly kind: string;
  /** Provider block `type` this kind belongs to, e.g. `oci`. */
  readonly providerType: string;
  /** Keys one owner may hold; kinds with the same `quotaGroup` share the slots. */
  readonly quota?: { readonly group: string; readonly perOwner: number };
  /** Declared attributes whose change replaces the key (rotate, reason config_changed). */
  readonly replaceOn: readonly string[];
  /** Declared attributes the provider can change in place (update). */
  readonly updatable: readonly string[];
  /** Attributes known only after create (shown as "known after apply"). */
  readonly computed: readonly string[];
  /** Sensitive values a create produces (shown as "(sensitive value)"). */
  readonly sensitive: readonly string[];
  /** Order a rotation uses unless the quota forces the other one. */
  readonly rotationOrder: 'create_before_delete' | 'delete_before_create';
}

/** Settings handed to an adapter once, before any other call. */
export interface ConfigureRequest {
  readonly block: ProviderBlock;
  /** Folder relative paths in the block resolve against. */
  readonly baseDir: string;
  /** Environment the adapter may read credentials from (passed in, never read from process). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For `endpoint: sandbox`: where the engine started the emulator and its bootstrap credentials. */
  readonly sandbox?: SandboxEndpoint;
  readonly signal?: AbortSignal;
}

/** An emulator started by the engine for a provider block with `endpoint: sandbox`. */
export interface SandboxEndpoint {
  readonly url: string;
  /** Provider-specific bootstrap credentials (OCI: tenancy, user, fingerprint, privateKeyPem, region). */
  readonly credentials: Readonly<Record<string, string>>;
}

export interface ListRequest {
  readonly kind: string;
  readonly owner: string;
  /** State's records for this scope (some kinds skip detail reads for keys state already knows). */
  readonly known?: readonly string[];
  readonly signal?: AbortSignal;
}

export interface ListResult {
  readonly keys: readonly LiveKey[];
}

/** What a created key hands to the outputs. */
export interface SecretMaterial {
  /** Content of a plain `file` output (OCI IAM: the encrypted private key PEM with its label line). */
  readonly file: Secret;
  /** Named secret values for `env_file` and `exec` outputs. */
  readonly secrets: Readonly<Record<string, Secret>>;
  /** Non-secret values outputs may use (user, fingerprint, tenancy, region, key id). */
  readonly values: Readonly<Record<string, string>>;
}

export interface CreateRequest {
  readonly key: DesiredKey;
  /** The passphrase from the env variable the config names; null when `passphrase: none`. */
  readonly passphrase: Secret | null;
  /** Idempotency token, reused on retries of this call. */
  readonly token: string;
  /** Await before the mutating call; `liveId` when the id is known beforehand. */
  readonly recordIntent: (liveId?: string) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface CreateResult {
  readonly live: LiveKey;
  readonly material: SecretMaterial;
}

export interface UpdateRequest {
  readonly key: DesiredKey;
  readonly live: LiveKey;
  readonly changes: Attributes;
  readonly signal?: AbortSignal;
}

export interface UpdateResult {
  readonly live: LiveKey;
}

export interface DeleteRequest {
  readonly kind: string;
  readonly owner: string;
  readonly id: string;
  /** Await before the mutating call. */
  readonly recordIntent: () => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface ValidateRequest {
  readonly block: ProviderBlock;
  readonly keys: readonly DesiredKey[];
}

/** A configured provider. Stateful, so a class in each provider folder. */
export interface ProviderAdapter {
  readonly contractVersion: typeof CONTRACT_VERSION;
  /** Checks beyond the schema; no network. */
  validate?(req: ValidateRequest): readonly Diagnostic[];
  configure(req: ConfigureRequest): Promise<void>;
  list(req: ListRequest): Promise<ListResult>;
  create(req: CreateRequest): Promise<CreateResult>;
  update?(req: UpdateRequest): Promise<UpdateResult>;
  delete(req: DeleteRequest): Promise<void>;
  /** Releases clients and timers. */
  close(): Promise<void>;
}

/** Makes an unconfigured adapter; the registry maps a provider `type` to one. */
export type AdapterFactory = () => Promise<ProviderAdapter>;
