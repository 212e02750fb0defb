/**
 * src/emulators/outscale: a faithful HTTP server of the OUTSCALE API's access-key calls,
 * built to providers/outscale-dataos.md Part A: `POST /api/v1/{Action}` JSON for
 * Create/Read/Update/DeleteAccessKey, ReadAccounts and ReadApiAccessPolicy; OSC4 and AWS4
 * signatures verified from the received SignedHeaders with a 5-minute window; Basic
 * login/password on the access-key calls only; the `Errors[{Type,Code,Details}]` body with
 * string codes; 10 keys per account and per EIM user (10005); secrets only in the create
 * answer; brute-force lockout, limiters, fault injection, latency and a shared data folder.
 *
 * Files: options (defaults and guesses), store + account (data), ids, dates, params,
 * auth (who is calling), handlers (the calls), throttle (limits, fault errors), server
 * (OUTSCALE answers; the HTTP skeleton, store file and fault dice are ../shared).
 */
import { issueKey, openStore, type IssueKeyOptions, type OutscaleAccount, type OutscaleCredentials } from './account.js';
import { Lockout } from './auth.js';
import { formatOscDate } from './dates.js';
import { resolveOptions, type OutscaleEmulatorOptions } from './options.js';
import { startEmulatorServer, type RequestLogEntry } from './server.js';
import type { AccessKeyState } from './store.js';

export type { OutscaleAccount, OutscaleCredentials, IssueKeyOptions } from './account.js';
export type { OutscaleEmulatorOptions, OscErrorChoice, GuessedError, ThrottleLimits } from './options.js';
export { GUESSED_ERRORS } from './options.js';
export type { RequestLogEntry } from './server.js';

/** A key as `listAccessKeys` shows it to tests: no secret, dates as the API formats them. */
export interface EmulatedAccessKey {
  readonly accessKeyId: string;
  readonly state: AccessKeyState;
  readonly creationDate: string;
  readonly lastModificationDate: string;
  readonly expirationDate?: string;
  readonly tag?: string;
}

/** A running OUTSCALE emulator. */
export interface OutscaleEmulator {
  /** e.g. `http://127.0.0.1:PORT`; calls go to `${url}/api/v1/{Action}`. */
  readonly url: string;
  /** The bootstrap account and its key (created on first start, kept in dataDir). */
  readonly account: OutscaleAccount;
  /** Creates an EIM user with no keys, as the API does (no-op when it exists). */
  addUser(userName: string): void;
  /** Gives the account (no userName) or an EIM user a key behind the API's back; quota applies. */
  issueKey(userName?: string, options?: IssueKeyOptions): OutscaleCredentials;
  /** The account's (no userName) or a user's keys, straight from the store, without secrets. */
  listAccessKeys(userName?: string): readonly EmulatedAccessKey[];
  /** Removes a key behind the API's back, as drift would. Throws when no owner holds it. */
  deleteKeyOutOfBand(accessKeyId: string): void;
  /** Served requests in order (method, path, action, status, code): never bodies, headers or secrets. */
  readonly requestLog: readonly RequestLogEntry[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startOutscaleEmulator(options: OutscaleEmulatorOptions = {}): Promise<OutscaleEmulator> {
  const resolved = resolveOptions(options);
  const { store, account } = openStore(resolved);
  const log: RequestLogEntry[] = [];
  const lockout = new Lockout(resolved.lockoutAfter, resolved.lockoutMs);
  const server = await startEmulatorServer({ store, options: resolved, lockout, log });

  return {
    url: server.url,
    account,
    addUser(userName: string): void {
      if (userName.length === 0) throw new TypeError('Expected `userName` to be non-empty, got ``');
      store.sync();
      store.ensureUser(userName);
      store.commit();
    },
    issueKey(userName?: string, o?: IssueKeyOptions): OutscaleCredentials {
      store.sync();
      const key = issueKey(store, userName, resolved.now(), o, resolved.keyLimit);
      store.commit();
      return { accessKey: key.accessKeyId, secretKey: key.secretKey, region: store.account.region };
    },
    listAccessKeys(userName?: string): readonly EmulatedAccessKey[] {
      store.sync();
      return store.keysOf(userName).map((k) => ({
        accessKeyId: k.accessKeyId,
        state: k.state,
        creationDate: formatOscDate(k.creationDate),
        lastModificationDate: formatOscDate(k.lastModificationDate),
        ...(k.expirationDate === undefined ? {} : { expirationDate: formatOscDate(k.expirationDate) }),
        ...(k.tag === undefined ? {} : { tag: k.tag }),
      }));
    },
    deleteKeyOutOfBand(accessKeyId: string): void {
      store.sync();
      const found = store.locate(accessKeyId);
      if (found === undefined) throw new Error(`Expected a key \`${accessKeyId}\` to delete`);
      store.removeKey(found.owner, accessKeyId);
      store.commit();
    },
    get requestLog(): readonly RequestLogEntry[] {
      return log;
    },
    close: server.close,
  };
}
