/**
 * The provider adapter contract (contractVersion 1). Every provider's adapter
 * implements it; the engine talks to providers only through it.
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
 * - Offline checks (validate) and everything else static live on the provider's
 *   `ProviderModule` (module.ts), so they run without loading the adapter's SDK.
 */
import type { Attributes, DesiredKey, ProviderBlock } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { IntentMatch } from '../model/state.js';
import type { Secret } from '../model/secret.js';
import type { SourceRange } from '../model/source.js';

export const CONTRACT_VERSION = 1;

/** Static facts about a key kind that the planner and config layers read. */
export interface KindSpec {
  /** `<provider type>.<kind>`, e.g. `acme.api_key`. */
  readonly kind: string;
  /** Provider block `type` this kind belongs to, e.g. `acme`. */
  readonly providerType: string;
  /** Keys one owner may hold; kinds with the same `quotaGroup` share the slots. */
  readonly quota?: {
    readonly group: string;
    readonly perOwner: number;
    /**
     * Attribute naming the quota owner when it is not the listing owner: keys
     * listed per cluster but occupy their user's key slots (`user`). @default the key's owner
     */
    readonly ownerAttribute?: string;
    /** Who sets the limit and what its keys are called, for quota messages: `<authority> allows 3 <noun>`. */
    readonly authority: string;
    readonly noun: string;
  };
  /**
   * Each live key of this kind also shows up among the live keys of `kind` (same
   * provider, owner = its quota owner) with id = its attribute `idAttribute`: e.g. a key
   * is listed by ListApiKeys under its fingerprint. Refresh reads that scope as well, so
   * the quota sees the owner's other keys, and the planner keeps only this kind's copy.
   */
  readonly alsoListedAs?: { readonly kind: string; readonly idAttribute: string };
  /**
   * Declared attribute that names a key at the provider, unique within its owner (e.g. the
   * key `alias`, unique per cluster). An interrupted create is found by it, and a create
   * whose value another live key still holds is refused or ordered after that key's delete.
   */
  readonly matchAttribute?: string;
  /**
   * Keys named at the provider from the declaration, with rotations adding a generation
   * suffix (`presto-driver`, `presto-driver-2`, …; model/name-family.ts):
   * `declared` is the declared attribute holding the base name, `live` the live attribute
   * holding a key's actual name. The planner refuses a create whose base name an unmanaged
   * key holds, and declared keys of one owner whose name families overlap.
   */
  readonly nameFamily?: { readonly declared: string; readonly live: string };
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
  /**
   * The provider can switch a key off and on again without deleting it (the adapter
   * implements `setActive`), so `rotation.deactivate_for` may keep a replaced key inactive
   * before it is deleted. @default false
   */
  readonly canDeactivate?: boolean;
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
  /** Told before each pause of a retry loop, so the user sees why a run waits (stderr, never stdout). @default none */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** A failed call about to be tried again: `ReadAccessKeys: 429, retrying in 2s (attempt 2 of 4)`. */
export interface RetryNotice {
  /** The API operation, as the provider's reference names it (`ListApiKeys`). */
  readonly operation: string;
  /** What failed: the HTTP status (and service code), or `no response`. */
  readonly reason: string;
  /** The pause before the next attempt, in ms. */
  readonly delayMs: number;
  /** The number of the attempt about to be made (2 after the first failure). */
  readonly attempt: number;
  readonly maxAttempts: number;
}

/** An emulator started by the engine for a provider block with `endpoint: sandbox`. */
export interface SandboxEndpoint {
  readonly url: string;
  /** Provider-specific bootstrap credentials (user, key, region, ... as the provider's adapter reads them). */
  readonly credentials: Readonly<Record<string, string>>;
}

export interface ListRequest {
  readonly kind: string;
  readonly owner: string;
  /** State's records for this scope (some kinds skip detail reads for keys state already knows). */
  readonly known?: readonly string[];
  /** The attributes state recorded for those ids (declared ones plus computed ones such as the fingerprint). */
  readonly knownAttributes?: Readonly<Record<string, Attributes>>;
  readonly signal?: AbortSignal;
}

export interface ListResult {
  readonly keys: readonly LiveKey[];
}

/** What a created key hands to the outputs. */
export interface SecretMaterial {
  /** Content of a plain `file` output (e.g. an encrypted private key PEM). */
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
  /**
   * Await before the mutating call; `liveId` when the id is known beforehand, otherwise
   * `match` (the kind's `matchAttribute` and its value) so an interrupted create can be found.
   */
  readonly recordIntent: (liveId?: string, match?: IntentMatch) => Promise<void>;
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

/** Proof that a freshly created key works: the adapter authenticates with it. */
export interface VerifyRequest {
  readonly key: DesiredKey;
  readonly live: LiveKey;
  readonly material: SecretMaterial;
  readonly passphrase: Secret | null;
  readonly signal?: AbortSignal;
}

/** `rejected` when the provider refused the new credential; `reason` is short and never secret. */
export type VerifyResult = { readonly outcome: 'authenticated' } | { readonly outcome: 'rejected'; readonly reason: string };

/** One recorded key whose details a person needs to set a consumer up by hand (`keyplan state show`). */
export interface DescribeRequest {
  readonly kind: string;
  readonly owner: string;
  readonly id: string;
  /** The attributes state recorded for it. */
  readonly attributes: Attributes;
  readonly signal?: AbortSignal;
}

/** Non-secret facts about the key (a public key, the account it lives in); its kind's `describeKey` renders them. */
export interface DescribeResult {
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Switches a key off (`active: false`: it no longer authenticates but keeps its quota slot)
 * or on again. Idempotent: asking for the state a key is already in succeeds.
 */
export interface SetActiveRequest {
  readonly kind: string;
  readonly owner: string;
  readonly id: string;
  readonly active: boolean;
  readonly signal?: AbortSignal;
}

/** What a provider's offline checks get: one block and the keys that use it. */
export interface ValidateRequest {
  readonly block: ProviderBlock;
  readonly keys: readonly DesiredKey[];
  /** Where a key (or one of its fields) is written, for diagnostics: `keys[2].alias` and its position. @default the key's source, no path */
  readonly at?: (key: DesiredKey, field?: string) => { readonly path?: string; readonly range?: SourceRange };
}

/** A configured provider. Stateful, so a class in each provider folder. */
export interface ProviderAdapter {
  readonly contractVersion: typeof CONTRACT_VERSION;
  configure(req: ConfigureRequest): Promise<void>;
  list(req: ListRequest): Promise<ListResult>;
  create(req: CreateRequest): Promise<CreateResult>;
  update?(req: UpdateRequest): Promise<UpdateResult>;
  delete(req: DeleteRequest): Promise<void>;
  /**
   * One attempt to authenticate with a new key's credential. Resolves `rejected` when the
   * provider refuses it (it may still be propagating: the engine retries); throws for
   * anything else (network, throttling), as the other calls do.
   */
  verify?(req: VerifyRequest): Promise<VerifyResult>;
  /** Reads what `keyplan state show` prints beyond the state (kinds with `describeKey`); never key material. */
  describe?(req: DescribeRequest): Promise<DescribeResult>;
  /** Deactivates or reactivates a key; present exactly when a kind of the provider has `canDeactivate`. */
  setActive?(req: SetActiveRequest): Promise<void>;
  /** Releases clients and timers. */
  close(): Promise<void>;
}

/** Makes an unconfigured adapter (ProviderModule.createAdapter). Offline checks live on the module. */
export type AdapterFactory = () => Promise<ProviderAdapter>;
