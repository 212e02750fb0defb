/**
 * The account the emulator serves: created on the first start (id, login, password and
 * one ACTIVE access key, as a new OUTSCALE account gets) and kept in the data folder.
 * These are the sandbox's own fake credentials: they open nothing but this emulator.
 */
import { randomBytes } from 'node:crypto';
import { mintAccessKeyId, mintAccountId, mintSecretKey } from './ids.js';
import { DEFAULT_LOGIN, DEFAULT_REGION, type ResolvedOptions } from './options.js';
import { AccessKeyStore, canSign, type AccessKeyState, type Owner, type StoredAccessKey } from './store.js';

/** What a client needs to sign requests with one access key. */
export interface OutscaleCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
}

/** The bootstrap account: its key, and the login/password Basic auth accepts. */
export interface OutscaleAccount extends OutscaleCredentials {
  readonly accountId: string;
  readonly login: string;
  readonly password: string;
}

/** Set-up choices for a key made behind the API's back (tests: expired or old keys). */
export interface IssueKeyOptions {
  /** ISO 8601; may lie in the past, unlike through the API. */
  readonly expirationDate?: string;
  /** ISO 8601; backdates the key (e.g. to test rotation by age). */
  readonly creationDate?: string;
  /** @default 'ACTIVE' */
  readonly state?: AccessKeyState;
  readonly tag?: string;
}

function isoToMs(name: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`Expected \`${name}\` to be an ISO 8601 date, got \`${value}\``);
  return ms;
}

/** A new key record for `owner`, added to the store (the caller commits). Honours `limit`. */
export function issueKey(store: AccessKeyStore, owner: Owner, now: number, o: IssueKeyOptions = {}, limit = Infinity): StoredAccessKey {
  if (store.keysOf(owner).length >= limit) {
    throw new Error(`Expected ${owner === undefined ? 'the account' : `user \`${owner}\``} to hold fewer than ${limit} keys`);
  }
  const created = o.creationDate === undefined ? now : isoToMs('creationDate', o.creationDate);
  const key: StoredAccessKey = {
    accessKeyId: mintAccessKeyId(),
    secretKey: mintSecretKey(),
    state: o.state ?? 'ACTIVE',
    creationDate: created,
    lastModificationDate: created,
    ...(o.expirationDate === undefined ? {} : { expirationDate: isoToMs('expirationDate', o.expirationDate) }),
    ...(o.tag === undefined ? {} : { tag: o.tag }),
  };
  if (owner !== undefined) store.ensureUser(owner);
  store.addKey(owner, key);
  return key;
}

/**
 * Opens the store in the data folder, or creates the account. A bootstrap key that was
 * deleted is replaced, and one that was deactivated or expired is made usable again, so
 * a sandbox whose owner let keyplan manage the account's keys heals instead of locking out.
 */
export function openStore(opts: ResolvedOptions): { store: AccessKeyStore; account: OutscaleAccount } {
  const store = new AccessKeyStore(opts.dataDir, () => ({
    formatVersion: 1,
    accountId: mintAccountId(),
    region: opts.region ?? DEFAULT_REGION,
    login: opts.login ?? DEFAULT_LOGIN,
    password: opts.password ?? randomBytes(18).toString('base64url'),
    bootstrapAccessKeyId: '',
    root: { keys: [] },
    users: {},
  }));
  const a = store.account;
  if (opts.region !== undefined) a.region = opts.region;
  if (opts.login !== undefined) a.login = opts.login;
  if (opts.password !== undefined) a.password = opts.password;

  const now = opts.now();
  let key = store.findKey(undefined, a.bootstrapAccessKeyId);
  if (key === undefined) {
    // Above the quota if need be: without a working key nobody can tidy up.
    key = issueKey(store, undefined, now);
    a.bootstrapAccessKeyId = key.accessKeyId;
  } else if (!canSign(key, now)) {
    key.state = 'ACTIVE';
    delete key.expirationDate;
    key.lastModificationDate = now;
  }
  store.commit();
  return {
    store,
    account: { accountId: a.accountId, accessKey: key.accessKeyId, secretKey: key.secretKey, region: a.region, login: a.login, password: a.password },
  };
}
