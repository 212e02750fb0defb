/**
 * The calls (providers/outscale-dataos.md §A2, §A3): CreateAccessKey, ReadAccessKeys,
 * UpdateAccessKey, DeleteAccessKey, ReadAccounts and ReadApiAccessPolicy. Each returns the
 * success body without `ResponseContext`, which the server adds. `SecretKey` leaves the
 * emulator only in the CreateAccessKey answer.
 */
import { authenticatesFromField } from '../shared/index.js';
import { formatOscDate, parseExpirationDate } from './dates.js';
import { OscApiError } from './errors.js';
import { mintAccessKeyId, mintSecretKey } from './ids.js';
import type { Caller } from './auth.js';
import type { ResolvedOptions } from './options.js';
import { onlyFields, optBool, optState, optString, readFilters, reqString, type Params } from './params.js';
import type { AccessKeyStore, Owner, StoredAccessKey } from './store.js';

/** What one call works with. */
export interface CallContext {
  readonly store: AccessKeyStore;
  readonly options: ResolvedOptions;
  readonly caller: Caller;
  readonly params: Params;
  readonly now: number;
}

/** A success body, before `ResponseContext` is added. */
export type CallResult = Record<string, unknown>;

/** The AccessKey object of the API; `SecretKey` only when asked (CreateAccessKey). */
export function accessKeyView(key: StoredAccessKey, withSecret = false): Record<string, string> {
  return {
    AccessKeyId: key.accessKeyId,
    ...(withSecret ? { SecretKey: key.secretKey } : {}),
    State: key.state,
    CreationDate: formatOscDate(key.creationDate),
    // §A2: no ExpirationDate key at all when the key never expires.
    ...(key.expirationDate === undefined ? {} : { ExpirationDate: formatOscDate(key.expirationDate) }),
    LastModificationDate: formatOscDate(key.lastModificationDate),
    ...(key.tag === undefined ? {} : { Tag: key.tag }),
  };
}

function fail(ctx: CallContext, which: keyof ResolvedOptions['errors'], details: string): OscApiError {
  return new OscApiError(ctx.options.errors[which], details);
}

/** Whose keys a call is about: the caller's own, or (for the account) a named EIM user's. */
function ownerOf(ctx: CallContext, write: boolean): Owner {
  const userName = optString(ctx.params, 'UserName');
  if (userName === undefined || userName === ctx.caller.owner) return ctx.caller.owner;
  if (ctx.caller.owner !== undefined) {
    throw fail(ctx, 'otherUsersKeys', `You are not authorized to manage the access keys of user '${userName}'.`);
  }
  if (!ctx.store.hasUser(userName)) {
    if (!ctx.options.autoCreateUsers) throw fail(ctx, 'unknownUser', `The user '${userName}' does not exist.`);
    if (write) ctx.store.ensureUser(userName);
  }
  return userName;
}

/** A future expiry within the account's ApiAccessPolicy, or the (guessed) refusal. */
function checkExpiry(ctx: CallContext, expiry: number | undefined): void {
  if (expiry !== undefined && expiry <= ctx.now) {
    throw fail(ctx, 'expirationInPast', 'The ExpirationDate must be later than the current date.');
  }
  const max = ctx.options.maxAccessKeyExpirationSeconds;
  if (max === 0) return;
  if (expiry === undefined) throw fail(ctx, 'policyViolation', 'The API access policy requires an ExpirationDate.');
  if (expiry - ctx.now > max * 1000) {
    throw fail(ctx, 'policyViolation', `The ExpirationDate exceeds the maximum of ${max} seconds set by the API access policy.`);
  }
}

function expiryParam(ctx: CallContext): number | undefined {
  if (ctx.params['ExpirationDate'] === undefined) return undefined;
  const parsed = parseExpirationDate(ctx.params['ExpirationDate']);
  if (parsed instanceof OscApiError) throw parsed;
  return parsed;
}

function existingKey(ctx: CallContext, owner: Owner, accessKeyId: string): StoredAccessKey {
  const key = ctx.store.findKey(owner, accessKeyId);
  if (key === undefined) throw fail(ctx, 'unknownAccessKey', `The access key '${accessKeyId}' does not exist.`);
  return key;
}

// [guess] §A2: a DryRun's answer is undocumented; the checks run, nothing changes, the body is empty.
const dryRun = (ctx: CallContext): boolean => optBool(ctx.params, 'DryRun') === true;

/** CreateAccessKey: a new ACTIVE key; the only answer that carries SecretKey. */
export function createAccessKey(ctx: CallContext): CallResult {
  onlyFields(ctx.params, ['DryRun', 'ExpirationDate', 'Tag', 'UserName']);
  const run = !dryRun(ctx);
  const owner = ownerOf(ctx, run);
  const expiry = expiryParam(ctx);
  const tag = optString(ctx.params, 'Tag');
  checkExpiry(ctx, expiry);
  if (ctx.store.keysOf(owner).length >= ctx.options.keyLimit) {
    throw fail(ctx, 'quotaExceeded', `You have reached the limit of ${ctx.options.keyLimit} access keys${owner === undefined ? '' : ` for user '${owner}'`}.`);
  }
  if (!run) return {};
  const key: StoredAccessKey = {
    accessKeyId: mintAccessKeyId(),
    secretKey: mintSecretKey(),
    state: 'ACTIVE',
    creationDate: ctx.now,
    lastModificationDate: ctx.now,
    ...(expiry === undefined ? {} : { expirationDate: expiry }),
    ...(tag === undefined ? {} : { tag }),
    ...authenticatesFromField(ctx.options, ctx.now),
  };
  ctx.store.addKey(owner, key);
  ctx.store.commit();
  return { AccessKey: accessKeyView(key, true) };
}

/** ReadAccessKeys: the owner's keys, filtered; unknown ids simply match nothing. */
export function readAccessKeys(ctx: CallContext): CallResult {
  onlyFields(ctx.params, ['DryRun', 'Filters', 'Tag', 'UserName']);
  const owner = ownerOf(ctx, false);
  const { ids, states } = readFilters(ctx.params);
  const tag = optString(ctx.params, 'Tag');
  if (dryRun(ctx)) return {};
  const keys = ctx.store
    .keysOf(owner)
    .filter((k) => (ids === undefined || ids.includes(k.accessKeyId)) && (states === undefined || states.includes(k.state)))
    .filter((k) => tag === undefined || k.tag === tag);
  return { AccessKeys: keys.map((k) => accessKeyView(k)) };
}

/**
 * UpdateAccessKey. Per the spec (1.40.1) omitting ExpirationDate CLEARS the expiry, so
 * clients must re-send it; ClearExpirationDate wins over ExpirationDate. Tag is kept when
 * omitted; [inference] ClearTag wins over Tag, like its expiry counterpart.
 */
export function updateAccessKey(ctx: CallContext): CallResult {
  onlyFields(ctx.params, ['AccessKeyId', 'ClearExpirationDate', 'ClearTag', 'DryRun', 'ExpirationDate', 'State', 'Tag', 'UserName']);
  const accessKeyId = reqString(ctx.params, 'AccessKeyId', ctx.options.errors.missingParameter);
  const state = optState(ctx.params, 'State');
  if (state === undefined && ctx.options.requireUpdateState) {
    throw fail(ctx, 'missingParameter', "The parameter 'State' is required.");
  }
  const clearExpiry = optBool(ctx.params, 'ClearExpirationDate') === true;
  const clearTag = optBool(ctx.params, 'ClearTag') === true;
  const tag = optString(ctx.params, 'Tag');
  const given = expiryParam(ctx);
  const expiry = clearExpiry ? undefined : given;
  const owner = ownerOf(ctx, false);
  const key = existingKey(ctx, owner, accessKeyId);
  checkExpiry(ctx, expiry);
  if (dryRun(ctx)) return {};

  if (state !== undefined) key.state = state;
  if (expiry === undefined) delete key.expirationDate;
  else key.expirationDate = expiry;
  if (clearTag) delete key.tag;
  else if (tag !== undefined) key.tag = tag;
  key.lastModificationDate = ctx.now;
  ctx.store.commit();
  return { AccessKey: accessKeyView(key) };
}

/** DeleteAccessKey. An EIM user's key must be INACTIVE first (spec); the account's own need not. */
export function deleteAccessKey(ctx: CallContext): CallResult {
  onlyFields(ctx.params, ['AccessKeyId', 'DryRun', 'UserName']);
  const accessKeyId = reqString(ctx.params, 'AccessKeyId', ctx.options.errors.missingParameter);
  const owner = ownerOf(ctx, false);
  const key = existingKey(ctx, owner, accessKeyId);
  if (owner !== undefined && key.state === 'ACTIVE') {
    throw fail(ctx, 'deleteActiveUserKey', `The access key '${accessKeyId}' of an EIM user must be INACTIVE before it is deleted.`);
  }
  if (dryRun(ctx)) return {};
  ctx.store.removeKey(owner, accessKeyId);
  ctx.store.commit();
  return {};
}

/** ReadAccounts: the account that sent the request (§A3), also for its EIM users. */
export function readAccounts(ctx: CallContext): CallResult {
  onlyFields(ctx.params, ['DryRun']);
  if (dryRun(ctx)) return {};
  const a = ctx.store.account;
  return {
    Accounts: [
      {
        AccountId: a.accountId,
        CustomerId: a.accountId,
        Email: a.login,
        FirstName: 'Sandbox',
        LastName: 'Account',
        CompanyName: 'keyplan sandbox',
        City: 'Paris',
        Country: 'France',
        ZipCode: '75000',
        OutscaleLoginAllowed: true,
        AdditionalEmails: [],
      },
    ],
  };
}

/** ReadApiAccessPolicy: the account-wide expiry ceiling (§A2). */
export function readApiAccessPolicy(ctx: CallContext): CallResult {
  onlyFields(ctx.params, ['DryRun']);
  if (dryRun(ctx)) return {};
  return { ApiAccessPolicy: { MaxAccessKeyExpirationSeconds: ctx.options.maxAccessKeyExpirationSeconds, RequireTrustedEnv: false } };
}

/** Every action the emulator serves, by name (a Map: `toString` is no action). */
export const ACTIONS: ReadonlyMap<string, (ctx: CallContext) => CallResult> = new Map([
  ['CreateAccessKey', createAccessKey],
  ['ReadAccessKeys', readAccessKeys],
  ['UpdateAccessKey', updateAccessKey],
  ['DeleteAccessKey', deleteAccessKey],
  ['ReadAccounts', readAccounts],
  ['ReadApiAccessPolicy', readApiAccessPolicy],
]);
