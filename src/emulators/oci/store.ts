/**
 * The emulator's data: one tenancy, its users and their API keys, and the retry tokens
 * seen in the last 24 hours. With a data folder every mutation is written atomically,
 * and every request first reloads the file if another process changed it, so several
 * keyplan processes (a `sandbox serve` and a CLI run) can share one sandbox.
 */
import { join } from 'node:path';
import { readFileIfExists, sameStamp, stampOf, writeFileAtomic, type FileStamp } from './persist.js';
import { checkBdsDocument, emptyBdsDocument, type BdsDocument } from './bds/document.js';

/** Lifecycle states this emulator produces (the API also knows INACTIVE, DELETING, DELETED). */
export type KeyLifecycle = 'CREATING' | 'ACTIVE';

/** One API key as stored. */
export interface StoredKey {
  readonly fingerprint: string;
  readonly keyValue: string;
  /** RFC 3339 with milliseconds and `Z`. */
  readonly timeCreated: string;
  /** Epoch ms from which the key is ACTIVE; before it, CREATING. */
  readonly activeAt: number;
  readonly etag: string;
}

/** A remembered successful answer to a request that carried `opc-retry-token`. */
export interface RetryRecord {
  /** sha256 of method, raw path and body: the same token with another request is refused. */
  readonly requestHash: string;
  readonly status: number;
  readonly body: string;
  readonly etag?: string;
  /** Epoch ms after which the token may be used afresh (24 h after first use). */
  readonly expiresAt: number;
}

/** The persisted document. */
export interface StoreDocument {
  readonly formatVersion: 1;
  readonly tenancy: string;
  readonly region: string;
  /** The bootstrap user: a tenancy administrator, may manage every user's keys. */
  readonly adminUser: string;
  /** The bootstrap key of the admin (the one whose private half is in the data folder). */
  adminFingerprint: string;
  readonly users: Record<string, { keys: StoredKey[] }>;
  readonly retryTokens: Record<string, RetryRecord>;
  /** Big Data Service clusters, keys and work requests (bds/); absent until first used. */
  bds?: BdsDocument;
}

/** File name of the store inside the data folder. */
export const STORE_FILE = 'store.json';

/** The lifecycle of `key` at time `now`. */
export function lifecycleOf(key: StoredKey, now: number): KeyLifecycle {
  return now >= key.activeAt ? 'ACTIVE' : 'CREATING';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the shape of a loaded store; a damaged file is reported, not half-used. */
export function parseStoreDocument(text: string, path: string): StoreDocument {
  const fail = (what: string): never => {
    throw new Error(`Expected the OCI emulator store \`${path}\` to hold ${what}; remove it to start afresh`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('JSON');
  }
  if (!isRecord(doc) || doc['formatVersion'] !== 1) return fail('formatVersion 1');
  for (const field of ['tenancy', 'region', 'adminUser', 'adminFingerprint'] as const) {
    if (typeof doc[field] !== 'string') fail(`a string \`${field}\``);
  }
  const users = doc['users'];
  if (!isRecord(users)) return fail('a `users` object');
  for (const user of Object.values(users)) {
    if (!isRecord(user) || !Array.isArray(user['keys'])) fail('a `keys` array for every user');
  }
  if (!isRecord(doc['retryTokens'])) fail('a `retryTokens` object');
  if (doc['bds'] !== undefined) checkBdsDocument(doc['bds'], fail);
  return doc as unknown as StoreDocument;
}

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class KeyStore {
  #doc: StoreDocument;
  readonly #path: string | undefined;
  #stamp: FileStamp | undefined;

  private constructor(doc: StoreDocument, path: string | undefined) {
    this.#doc = doc;
    this.#path = path;
  }

  /** Loads the store from `dataDir`, or returns undefined when there is none yet. */
  static load(dataDir: string): KeyStore | undefined {
    const path = join(dataDir, STORE_FILE);
    const stamp = stampOf(path);
    const text = readFileIfExists(path);
    if (text === undefined) return undefined;
    const store = new KeyStore(parseStoreDocument(text, path), path);
    store.#stamp = stamp;
    return store;
  }

  /** A new store, persisted to `dataDir` (when given) from its first `commit()`. */
  static create(doc: StoreDocument, dataDir: string | undefined): KeyStore {
    return new KeyStore(doc, dataDir === undefined ? undefined : join(dataDir, STORE_FILE));
  }

  get tenancy(): string {
    return this.#doc.tenancy;
  }

  get region(): string {
    return this.#doc.region;
  }

  get adminUser(): string {
    return this.#doc.adminUser;
  }

  get adminFingerprint(): string {
    return this.#doc.adminFingerprint;
  }

  set adminFingerprint(fingerprint: string) {
    this.#doc.adminFingerprint = fingerprint;
  }

  /** The BDS part of the document, created empty on first use (callers commit after mutating). */
  get bds(): BdsDocument {
    this.#doc.bds ??= emptyBdsDocument();
    return this.#doc.bds;
  }

  /** Picks up changes another process wrote since we last read or wrote the file. */
  sync(): void {
    if (this.#path === undefined) return;
    const stamp = stampOf(this.#path);
    if (stamp === undefined || sameStamp(stamp, this.#stamp)) return;
    const text = readFileIfExists(this.#path);
    if (text === undefined) return;
    this.#doc = parseStoreDocument(text, this.#path);
    this.#stamp = stamp;
  }

  /** Writes the document if the store is persistent. Call after every mutation. */
  commit(): void {
    if (this.#path === undefined) return;
    this.#stamp = writeFileAtomic(this.#path, `${JSON.stringify(this.#doc, null, 2)}\n`);
  }

  hasUser(userId: string): boolean {
    return Object.hasOwn(this.#doc.users, userId);
  }

  /** Adds the user if missing (no commit: callers commit after the whole mutation). */
  ensureUser(userId: string): void {
    if (!this.hasUser(userId)) this.#doc.users[userId] = { keys: [] };
  }

  /** The user's keys, oldest first (empty for unknown users). */
  keysOf(userId: string): readonly StoredKey[] {
    return this.hasUser(userId) ? (this.#doc.users[userId]?.keys ?? []) : [];
  }

  findKey(userId: string, fingerprint: string): StoredKey | undefined {
    return this.keysOf(userId).find((k) => k.fingerprint === fingerprint);
  }

  /** Appends a key to an existing user. */
  addKey(userId: string, key: StoredKey): void {
    const user = this.#doc.users[userId];
    if (user === undefined) throw new Error(`Expected user \`${userId}\` to exist before adding a key`);
    user.keys.push(key);
  }

  /** Removes a key; false when there was none. */
  removeKey(userId: string, fingerprint: string): boolean {
    const user = this.#doc.users[userId];
    if (user === undefined) return false;
    const before = user.keys.length;
    user.keys = user.keys.filter((k) => k.fingerprint !== fingerprint);
    return user.keys.length !== before;
  }

  /** The live record of `token`, dropping expired ones on the way. */
  retryRecord(token: string, now: number): RetryRecord | undefined {
    for (const [t, rec] of Object.entries(this.#doc.retryTokens)) {
      if (rec.expiresAt <= now) delete this.#doc.retryTokens[t];
    }
    return Object.hasOwn(this.#doc.retryTokens, token) ? this.#doc.retryTokens[token] : undefined;
  }

  rememberRetry(token: string, record: RetryRecord): void {
    this.#doc.retryTokens[token] = record;
  }
}
