/**
 * The emulator's data: one tenancy, its users and their API keys, and the retry tokens
 * seen in the last 24 hours. With a data folder every mutation is written atomically,
 * and every request first reloads the file if another process changed it, so several
 * keyplan processes (a `sandbox serve` and a CLI run) can share one sandbox.
 */
import { isRecord, JsonStore, type JsonStoreFormat } from '../shared/index.js';
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
  /** When an uploaded key starts to authenticate (shared/new-key-auth.ts): absent = once ACTIVE, null = never. */
  readonly authenticatesFrom?: number | null;
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

/** How the document is stored and checked: a damaged file is reported, not half-used. */
const STORE_FORMAT: JsonStoreFormat<StoreDocument> = {
  emulator: 'OCI',
  file: STORE_FILE,
  check(doc, fail) {
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
  },
};

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class KeyStore extends JsonStore<StoreDocument> {
  /** Loads the store from `dataDir` when it has one, else starts from `fresh()` (see JsonStore). */
  constructor(dataDir: string | undefined, fresh: () => StoreDocument) {
    super(STORE_FORMAT, dataDir, fresh);
  }

  get tenancy(): string {
    return this.doc.tenancy;
  }

  get region(): string {
    return this.doc.region;
  }

  get adminUser(): string {
    return this.doc.adminUser;
  }

  get adminFingerprint(): string {
    return this.doc.adminFingerprint;
  }

  set adminFingerprint(fingerprint: string) {
    this.doc.adminFingerprint = fingerprint;
  }

  /** The BDS part of the document, created empty on first use (callers commit after mutating). */
  get bds(): BdsDocument {
    this.doc.bds ??= emptyBdsDocument();
    // Handed out for changes in place: the next commit logs the BDS part whole.
    this.touch('bds');
    return this.doc.bds;
  }

  hasUser(userId: string): boolean {
    return Object.hasOwn(this.doc.users, userId);
  }

  /** Adds the user if missing (no commit: callers commit after the whole mutation). */
  ensureUser(userId: string): void {
    if (this.hasUser(userId)) return;
    this.doc.users[userId] = { keys: [] };
    this.touch('users', userId);
  }

  /** The user's keys, oldest first (empty for unknown users). */
  keysOf(userId: string): readonly StoredKey[] {
    return this.hasUser(userId) ? (this.doc.users[userId]?.keys ?? []) : [];
  }

  /** The user's key with this fingerprint (stored keys are not changed in place). */
  findKey(userId: string, fingerprint: string): StoredKey | undefined {
    return this.keysOf(userId).find((k) => k.fingerprint === fingerprint);
  }

  /** Appends a key to an existing user. */
  addKey(userId: string, key: StoredKey): void {
    const user = this.doc.users[userId];
    if (user === undefined) throw new Error(`Expected user \`${userId}\` to exist before adding a key`);
    user.keys.push(key);
    this.touch('users', userId);
  }

  /** Removes a key; false when there was none. */
  removeKey(userId: string, fingerprint: string): boolean {
    const user = this.doc.users[userId];
    if (user === undefined) return false;
    const before = user.keys.length;
    user.keys = user.keys.filter((k) => k.fingerprint !== fingerprint);
    this.touch('users', userId);
    return user.keys.length !== before;
  }

  /** The live record of `token`, dropping expired ones on the way. */
  retryRecord(token: string, now: number): RetryRecord | undefined {
    for (const [t, rec] of Object.entries(this.doc.retryTokens)) {
      if (rec.expiresAt > now) continue;
      delete this.doc.retryTokens[t];
      this.touch('retryTokens', t);
    }
    return Object.hasOwn(this.doc.retryTokens, token) ? this.doc.retryTokens[token] : undefined;
  }

  rememberRetry(token: string, record: RetryRecord): void {
    this.doc.retryTokens[token] = record;
    this.touch('retryTokens', token);
  }
}
