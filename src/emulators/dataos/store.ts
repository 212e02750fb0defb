/**
 * The Heimdall emulator's data: users, their name-keyed API key tokens, and which token
 * is the bootstrap credential. With a data folder every mutation is written atomically
 * (mode 0600: the file holds the sandbox's token secrets), and every request first
 * reloads the file if another process changed it, so a `sandbox serve` and CLI runs can
 * share one sandbox.
 */
import { join } from 'node:path';
// The durable-file helpers are the OCI emulator's; both emulators persist the same way.
import { readFileIfExists, sameStamp, stampOf, writeFileAtomic, type FileStamp } from '../oci/persist.js';

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the shape of a loaded store; a damaged file is reported, not half-used. */
export function parseDataosStore(text: string, path: string): DataosStoreDocument {
  const fail = (what: string): never => {
    throw new Error(`Expected the DataOS emulator store \`${path}\` to hold ${what}; remove it to start afresh`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('JSON');
  }
  if (!isRecord(doc) || doc['formatVersion'] !== 1) return fail('formatVersion 1');
  const boot = doc['bootstrap'];
  if (!isRecord(boot) || typeof boot['userId'] !== 'string' || typeof boot['tokenName'] !== 'string') fail('a `bootstrap` {userId, tokenName}');
  const users = doc['users'];
  if (!isRecord(users)) return fail('a `users` object');
  for (const user of Object.values(users)) {
    if (!isRecord(user) || typeof user['id'] !== 'string' || !Array.isArray(user['tokens']) || !Array.isArray(user['tags'])) {
      fail('users with an id, tags and a `tokens` array');
    }
  }
  return doc as unknown as DataosStoreDocument;
}

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class TokenStore {
  #doc: DataosStoreDocument;
  readonly #path: string | undefined;
  #stamp: FileStamp | undefined;

  private constructor(doc: DataosStoreDocument, path: string | undefined) {
    this.#doc = doc;
    this.#path = path;
  }

  /** Loads the store from `dataDir`, or returns undefined when there is none yet. */
  static load(dataDir: string): TokenStore | undefined {
    const path = join(dataDir, DATAOS_STORE_FILE);
    const stamp = stampOf(path);
    const text = readFileIfExists(path);
    if (text === undefined) return undefined;
    const store = new TokenStore(parseDataosStore(text, path), path);
    store.#stamp = stamp;
    return store;
  }

  /** A new store, persisted to `dataDir` (when given) from its first `commit()`. */
  static create(doc: DataosStoreDocument, dataDir: string | undefined): TokenStore {
    return new TokenStore(doc, dataDir === undefined ? undefined : join(dataDir, DATAOS_STORE_FILE));
  }

  get bootstrap(): { readonly userId: string; readonly tokenName: string } {
    return this.#doc.bootstrap;
  }

  set bootstrapTokenName(name: string) {
    this.#doc.bootstrap.tokenName = name;
  }

  /** Picks up changes another process wrote since we last read or wrote the file. */
  sync(): void {
    if (this.#path === undefined) return;
    const stamp = stampOf(this.#path);
    if (stamp === undefined || sameStamp(stamp, this.#stamp)) return;
    const text = readFileIfExists(this.#path);
    if (text === undefined) return;
    this.#doc = parseDataosStore(text, this.#path);
    this.#stamp = stamp;
  }

  /** Writes the document (mode 0600) if the store is persistent. Call after every mutation. */
  commit(): void {
    if (this.#path === undefined) return;
    this.#stamp = writeFileAtomic(this.#path, `${JSON.stringify(this.#doc, null, 2)}\n`, 0o600);
  }

  user(id: string): StoredUser | undefined {
    return Object.hasOwn(this.#doc.users, id) ? this.#doc.users[id] : undefined;
  }

  /** All users, by id. */
  users(): readonly StoredUser[] {
    return Object.values(this.#doc.users).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Adds a user unless it exists (no commit: callers commit after the whole mutation). */
  ensureUser(id: string, tags: readonly string[] = []): StoredUser {
    const existing = this.user(id);
    if (existing !== undefined) return existing;
    const user: StoredUser = { id, name: id, type: 'application', tags: [`users:id:${id}`, ...tags], tokens: [] };
    this.#doc.users[id] = user;
    return user;
  }

  /** The user holding a token of this name and UUID. */
  findByToken(name: string, uuid: string): { readonly user: StoredUser; readonly token: StoredToken } | undefined {
    for (const user of Object.values(this.#doc.users)) {
      const token = user.tokens.find((t) => t.name === name && t.uuid === uuid);
      if (token !== undefined) return { user, token };
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
