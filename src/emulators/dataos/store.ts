/**
 * The Heimdall emulator's data: users, their name-keyed API key tokens, and which token
 * is the bootstrap credential. With a data folder every mutation is written atomically
 * (mode 0600: the file holds the sandbox's token secrets), and every request first
 * reloads the file if another process changed it, so a `sandbox serve` and CLI runs can
 * share one sandbox.
 */
import { isRecord, JsonStore, type JsonStoreFormat } from '../shared/index.js';

/** One token as stored. Names are unique per user. */
export interface StoredToken {
  readonly name: string;
  /** The secret UUID inside the token string. */
  readonly uuid: string;
  readonly type: 'apikey';
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms, truncated to the hour. */
  readonly expiresAt: number;
  /** When a created token starts to authenticate (shared/new-key-auth.ts): absent = at once, null = never. */
  readonly authenticatesFrom?: number | null;
}

/** One user as stored (the fields of Heimdall's User model the emulator serves). */
export interface StoredUser {
  readonly id: string;
  readonly name: string;
  readonly type: 'person' | 'application';
  readonly tags: string[];
  tokens: StoredToken[];
}

/** The persisted document. */
export interface DataosStoreDocument {
  readonly formatVersion: 1;
  /** The bootstrap user and the name of its sandbox credential token. */
  bootstrap: { readonly userId: string; tokenName: string };
  readonly users: Record<string, StoredUser>;
}

/** File name of the store inside the data folder. */
export const DATAOS_STORE_FILE = 'store.json';

/** How the document is stored and checked: a damaged file is reported, not half-used. */
const STORE_FORMAT: JsonStoreFormat<DataosStoreDocument> = {
  emulator: 'DataOS',
  file: DATAOS_STORE_FILE,
  check(doc, fail) {
    const boot = doc['bootstrap'];
    if (!isRecord(boot) || typeof boot['userId'] !== 'string' || typeof boot['tokenName'] !== 'string') fail('a `bootstrap` {userId, tokenName}');
    const users = doc['users'];
    if (!isRecord(users)) return fail('a `users` object');
    for (const user of Object.values(users)) {
      if (!isRecord(user) || typeof user['id'] !== 'string' || !Array.isArray(user['tokens']) || !Array.isArray(user['tags'])) {
        fail('users with an id, tags and a `tokens` array');
      }
    }
  },
};

/** Most tokens remembered with their user (findByToken); a bound, not a tuning. */
const HOLDER_HINTS = 1024;

function tokenOf(user: StoredUser | undefined, name: string, uuid: string): { readonly user: StoredUser; readonly token: StoredToken } | undefined {
  const token = user?.tokens.find((t) => t.name === name && t.uuid === uuid);
  return user === undefined || token === undefined ? undefined : { user, token };
}

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class TokenStore extends JsonStore<DataosStoreDocument> {
  /** Token (`name\nuuid`) → the id of the user last found holding it. */
  readonly #holders = new Map<string, string>();

  /** Loads the store from `dataDir` when it has one, else starts from `fresh()` (see JsonStore). */
  constructor(dataDir: string | undefined, fresh: () => DataosStoreDocument) {
    super(STORE_FORMAT, dataDir, fresh);
  }

  get bootstrap(): { readonly userId: string; readonly tokenName: string } {
    return this.doc.bootstrap;
  }

  set bootstrapTokenName(name: string) {
    this.doc.bootstrap.tokenName = name;
    this.touch('bootstrap');
  }

  /** The user, for reading or changing in place (so it counts as changed at the next commit). */
  user(id: string): StoredUser | undefined {
    if (!Object.hasOwn(this.doc.users, id)) return undefined;
    this.touch('users', id);
    return this.doc.users[id];
  }

  /** All users, by id. */
  users(): readonly StoredUser[] {
    return Object.values(this.doc.users).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Adds a user unless it exists (no commit: callers commit after the whole mutation). */
  ensureUser(id: string, tags: readonly string[] = []): StoredUser {
    const existing = this.user(id);
    if (existing !== undefined) return existing;
    const user: StoredUser = { id, name: id, type: 'application', tags: [`users:id:${id}`, ...tags], tokens: [] };
    this.doc.users[id] = user;
    this.touch('users', id);
    return user;
  }

  /**
   * The user holding a token of this name and UUID. Every request authenticates, mostly with
   * the same few tokens: the user found last time is tried first (and checked, since tokens
   * and whole documents change under it), before a scan of all users.
   */
  findByToken(name: string, uuid: string): { readonly user: StoredUser; readonly token: StoredToken } | undefined {
    const users = this.doc.users;
    const key = `${name}\n${uuid}`;
    const hinted = this.#holders.get(key);
    const held = hinted !== undefined && Object.hasOwn(users, hinted) ? tokenOf(users[hinted], name, uuid) : undefined;
    if (held !== undefined) return held;
    for (const user of Object.values(users)) {
      const found = tokenOf(user, name, uuid);
      if (found === undefined) continue;
      if (this.#holders.size >= HOLDER_HINTS) this.#holders.clear();
      this.#holders.set(key, user.id);
      return found;
    }
    return undefined;
  }

  /** Removes a user's token by name; false when there was none. */
  removeToken(userId: string, name: string): boolean {
    const user = this.user(userId);
    if (user === undefined) return false;
    const before = user.tokens.length;
    user.tokens = user.tokens.filter((t) => t.name !== name);
    return user.tokens.length !== before;
  }
}
