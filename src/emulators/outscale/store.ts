/**
 * The emulator's data: one account (id, region, login and password), its own access keys
 * and those of its EIM users. The file holds secret keys, so it is written with mode 0600;
 * a change to one owner's keys is appended to the store's log (shared/store-log.ts), and every request first reloads the file when another process
 * changed it, so a `sandbox serve` and a CLI run can share one data folder.
 */
import { isRecord, JsonStore, type JsonStoreFormat } from '../shared/index.js';

/** The two states an access key can be in (§A2); expiry does not change it. */
export type AccessKeyState = 'ACTIVE' | 'INACTIVE';

/** One access key as stored (times in epoch ms). */
export interface StoredAccessKey {
  readonly accessKeyId: string;
  readonly secretKey: string;
  state: AccessKeyState;
  readonly creationDate: number;
  lastModificationDate: number;
  expirationDate?: number;
  tag?: string;
  /** When a created key starts to authenticate (shared/new-key-auth.ts): absent = at once, null = never. */
  readonly authenticatesFrom?: number | null;
}

/** The persisted document. */
export interface StoreDocument {
  readonly formatVersion: 1;
  readonly accountId: string;
  region: string;
  login: string;
  password: string;
  /** The key handed out as the sandbox's credentials. */
  bootstrapAccessKeyId: string;
  readonly root: { keys: StoredAccessKey[] };
  readonly users: Record<string, { keys: StoredAccessKey[] }>;
}

/** Whose keys: an EIM user name, or undefined for the account itself. */
export type Owner = string | undefined;

/** File name of the store inside the data folder. */
export const STORE_FILE = 'store.json';

function checkKeys(v: unknown): boolean {
  return (
    isRecord(v) &&
    Array.isArray(v['keys']) &&
    v['keys'].every((k: unknown) => isRecord(k) && typeof k['accessKeyId'] === 'string' && typeof k['secretKey'] === 'string')
  );
}

/** How the document is stored and checked: a damaged file is reported, not half-used. */
const STORE_FORMAT: JsonStoreFormat<StoreDocument> = {
  emulator: 'OUTSCALE',
  file: STORE_FILE,
  check(doc, fail) {
    for (const field of ['accountId', 'region', 'login', 'password', 'bootstrapAccessKeyId'] as const) {
      if (typeof doc[field] !== 'string') fail(`a string \`${field}\``);
    }
    if (!checkKeys(doc['root'])) fail('a `root.keys` array of keys');
    const users = doc['users'];
    if (!isRecord(users) || !Object.values(users).every(checkKeys)) fail('a `users` object with a `keys` array each');
  },
};

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class AccessKeyStore extends JsonStore<StoreDocument> {
  /** Loads the store from `dataDir` when it has one, else starts from `fresh()` (see JsonStore). */
  constructor(dataDir: string | undefined, fresh: () => StoreDocument) {
    super(STORE_FORMAT, dataDir, fresh);
  }

  /** The account record (mutable fields: region, login, password, bootstrapAccessKeyId). */
  get account(): StoreDocument {
    return this.doc;
  }

  hasUser(userName: string): boolean {
    return Object.hasOwn(this.doc.users, userName);
  }

  /** Adds the EIM user if missing (callers commit after the whole mutation). */
  ensureUser(userName: string): void {
    if (this.hasUser(userName)) return;
    this.doc.users[userName] = { keys: [] };
    this.touch('users', userName);
  }

  /** The owner's keys, oldest first (empty for unknown users). */
  keysOf(owner: Owner): readonly StoredAccessKey[] {
    if (owner === undefined) return this.doc.root.keys;
    return this.hasUser(owner) ? (this.doc.users[owner]?.keys ?? []) : [];
  }

  /** The owner's key with this id, for in-place updates (so the owner's keys count as changed). */
  findKey(owner: Owner, accessKeyId: string): StoredAccessKey | undefined {
    const key = this.keysOf(owner).find((k) => k.accessKeyId === accessKeyId);
    if (key !== undefined) this.#touchOwner(owner);
    return key;
  }

  /** Any key with this id, with its owner (signature checks know only the id). */
  locate(accessKeyId: string): { owner: Owner; key: StoredAccessKey } | undefined {
    const rootKey = this.findKey(undefined, accessKeyId);
    if (rootKey !== undefined) return { owner: undefined, key: rootKey };
    for (const [userName, user] of Object.entries(this.doc.users)) {
      const key = user.keys.find((k) => k.accessKeyId === accessKeyId);
      if (key !== undefined) return { owner: userName, key };
    }
    return undefined;
  }

  /** Appends a key; the EIM user must exist. */
  addKey(owner: Owner, key: StoredAccessKey): void {
    const holder = owner === undefined ? this.doc.root : this.doc.users[owner];
    if (holder === undefined) throw new Error(`Expected EIM user \`${owner}\` to exist before adding a key`);
    holder.keys.push(key);
    this.#touchOwner(owner);
  }

  /** Removes a key; false when there was none. */
  removeKey(owner: Owner, accessKeyId: string): boolean {
    const holder = owner === undefined ? this.doc.root : this.doc.users[owner];
    if (holder === undefined) return false;
    const index = holder.keys.findIndex((k) => k.accessKeyId === accessKeyId);
    if (index < 0) return false;
    holder.keys.splice(index, 1);
    this.#touchOwner(owner);
    return true;
  }

  /**
   * Marks the owner's keys as changed for the next commit. The store hands out keys for
   * in-place changes only through `findKey`; the account's own fields are scalars, which
   * every commit compares.
   */
  #touchOwner(owner: Owner): void {
    if (owner === undefined) this.touch('root');
    else this.touch('users', owner);
  }
}

/** True when the key may sign requests at `now`: ACTIVE and not past its expiry. */
export function canSign(key: StoredAccessKey, now: number): boolean {
  // §A2: expiry leaves State ACTIVE; [inference] an expired key no longer authenticates.
  return key.state === 'ACTIVE' && (key.expirationDate === undefined || key.expirationDate > now);
}
