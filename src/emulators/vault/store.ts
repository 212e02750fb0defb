/**
 * The Vault emulator's data: the root token, the other tokens and their policy rules,
 * and the secrets of every namespace and mount. With a data folder every mutation is
 * written atomically (mode 0600: the file holds the root token and the sandbox's
 * secrets), and every request first reloads the file if another process changed it.
 * Mount settings come from the options and are not stored.
 */
import { isRecord, JsonStore, type JsonStoreFormat } from '../shared/index.js';
import type { StoredSecret } from './kv.js';
import type { PolicyRule } from './policy.js';

/** One token as stored. The root token bypasses policies, as Vault's root policy does. */
export interface StoredToken {
  readonly displayName: string;
  readonly root: boolean;
  readonly rules: readonly PolicyRule[];
}

/** The persisted document. */
export interface VaultStoreDocument {
  readonly formatVersion: 1;
  /** The root token minted on first start. */
  rootToken: string;
  readonly tokens: Record<string, StoredToken>;
  /** Namespace ('' is the root namespace) → mount path → secret path → secret. */
  readonly secrets: Record<string, Record<string, Record<string, StoredSecret>>>;
}

/** File name of the store inside the data folder. */
export const VAULT_STORE_FILE = 'store.json';

const STORE_FORMAT: JsonStoreFormat<VaultStoreDocument> = {
  emulator: 'Vault',
  file: VAULT_STORE_FILE,
  check(doc, fail) {
    if (typeof doc['rootToken'] !== 'string') fail('a `rootToken` string');
    const tokens = doc['tokens'];
    if (!isRecord(tokens) || !Object.values(tokens).every((t) => isRecord(t) && Array.isArray(t['rules']) && typeof t['root'] === 'boolean')) {
      fail('a `tokens` object of {root, rules}');
    }
    const secrets = doc['secrets'];
    if (!isRecord(secrets) || !Object.values(secrets).every((mounts) => isRecord(mounts) && Object.values(mounts).every(isRecord))) {
      fail('a `secrets` object by namespace and mount');
    }
  },
};

/** Where a secret lives. */
export interface SecretAddress {
  /** '' for the root namespace. */
  readonly namespace: string;
  readonly mount: string;
  /** Path inside the mount, no slashes at either end. */
  readonly path: string;
}

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class VaultStore extends JsonStore<VaultStoreDocument> {
  /** Loads the store from `dataDir` when it has one, else starts from `fresh()` (see JsonStore). */
  constructor(dataDir: string | undefined, fresh: () => VaultStoreDocument) {
    super(STORE_FORMAT, dataDir, fresh);
  }

  get rootToken(): string {
    return this.doc.rootToken;
  }

  /** The token record, or undefined for an unknown token. */
  token(token: string): StoredToken | undefined {
    return Object.hasOwn(this.doc.tokens, token) ? this.doc.tokens[token] : undefined;
  }

  /** Adds a token (no commit: callers commit after the whole mutation). */
  addToken(token: string, record: StoredToken): void {
    this.doc.tokens[token] = record;
  }

  /** The secret at an address, or undefined. */
  secret(at: SecretAddress): StoredSecret | undefined {
    const inMount = this.doc.secrets[at.namespace]?.[at.mount];
    return inMount !== undefined && Object.hasOwn(inMount, at.path) ? inMount[at.path] : undefined;
  }

  /** Puts (or replaces) the secret at an address. */
  putSecret(at: SecretAddress, secret: StoredSecret): void {
    const mounts = (this.doc.secrets[at.namespace] ??= {});
    const inMount = (mounts[at.mount] ??= {});
    inMount[at.path] = secret;
  }

  /** Removes the secret at an address; false when there was none. */
  removeSecret(at: SecretAddress): boolean {
    const inMount = this.doc.secrets[at.namespace]?.[at.mount];
    if (inMount === undefined || !Object.hasOwn(inMount, at.path)) return false;
    delete inMount[at.path];
    return true;
  }

  /** Secret paths of a mount, sorted. */
  paths(namespace: string, mount: string): string[] {
    return Object.keys(this.doc.secrets[namespace]?.[mount] ?? {}).sort();
  }
}
