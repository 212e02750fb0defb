/**
 * The three Identity operations on API keys (providers/oci.md §1.1): ListApiKeys,
 * UploadApiKey, DeleteApiKey, after the request was authenticated. Each returns the reply
 * to send or throws an OciHttpError; the server turns either into HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import { authenticatesFromField } from '../shared/index.js';
import { OciHttpError, invalidParameter, notAuthorizedOrNotFound } from './errors.js';
import { acceptUploadedKey } from './public-key.js';
import { lifecycleOf, type KeyLifecycle, type KeyStore, type StoredKey } from './store.js';
import type { ResolvedOptions } from './options.js';
import type { Caller, SignedRequest } from './signature.js';

/** What to send back (before `opc-request-id` is added). */
export interface Reply {
  readonly status: number;
  /** JSON text; absent for 204. */
  readonly body?: string;
  readonly etag?: string;
  /** Further response headers (BDS: `opc-work-request-id`, `opc-next-page`, `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Everything an operation needs. */
export interface OperationContext {
  readonly store: KeyStore;
  readonly options: ResolvedOptions;
  readonly caller: Caller;
  readonly request: SignedRequest;
  readonly now: number;
}

/** How long a retry token is remembered (providers/oci.md §1.1: valid 24 h). */
export const RETRY_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** The wire form of an ApiKey (camelCase, as the SDK's `models.ApiKey`). */
export function apiKeyJson(tenancy: string, userId: string, key: StoredKey, state: KeyLifecycle): Record<string, unknown> {
  return {
    keyId: `${tenancy}/${userId}/${key.fingerprint}`,
    keyValue: key.keyValue,
    fingerprint: key.fingerprint,
    userId,
    timeCreated: key.timeCreated,
    lifecycleState: state,
    // Only meaningful for INACTIVE keys, which this emulator never produces.
    inactiveStatus: null,
  };
}

/**
 * Resolves the target user and checks the caller may manage its keys: itself, or the
 * tenancy admin for anyone. Unknown users and foreign callers get the same 404, so the
 * answer does not reveal which users exist.
 */
function authorize(ctx: OperationContext, userId: string): void {
  const { store, options, caller } = ctx;
  const known = store.hasUser(userId) || (options.autoCreateUsers && userId.startsWith('ocid1.user.'));
  if (!known) throw notAuthorizedOrNotFound('unknown user');
  if (caller.user !== userId && caller.user !== store.adminUser) {
    throw notAuthorizedOrNotFound('caller may not manage this user\u2019s keys');
  }
}

/** GET …/apiKeys: a bare JSON array, oldest first; no pagination exists for this call. */
export function listApiKeys(ctx: OperationContext, userId: string): Reply {
  authorize(ctx, userId);
  const { store, now } = ctx;
  const items = store.keysOf(userId).map((k) => apiKeyJson(store.tenancy, userId, k, lifecycleOf(k, now)));
  return { status: 200, body: JSON.stringify(items) };
}

function header(ctx: OperationContext, name: string): string | undefined {
  const v = ctx.request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseKeyField(body: Buffer): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new OciHttpError(400, 'CannotParseRequest', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OciHttpError(400, 'CannotParseRequest', 'The request body must be a JSON object.');
  }
  const key = (parsed as Record<string, unknown>)['key'];
  if (key === undefined || key === null) throw new OciHttpError(400, 'MissingParameter', 'Missing parameter: key.');
  if (typeof key !== 'string') throw invalidParameter('The key must be a string holding a PEM public key.');
  return key;
}

/** POST …/apiKeys: validates, enforces the quota, answers 200 with a CREATING key. */
export function uploadApiKey(ctx: OperationContext, userId: string): Reply {
  authorize(ctx, userId);
  const { store, options, now, request } = ctx;

  // Replay comes before any check: a retried upload must not now fail as a duplicate.
  const token = header(ctx, 'opc-retry-token');
  let requestHash = '';
  if (token !== undefined) {
    if (token.length < 1 || token.length > 64) throw invalidParameter('opc-retry-token must be 1 to 64 characters long.');
    requestHash = createHash('sha256').update(`${request.method} ${request.rawUrl}\n`).update(request.body).digest('hex');
    const seen = store.retryRecord(token, now);
    if (seen !== undefined) {
      if (seen.requestHash !== requestHash) {
        throw new OciHttpError(409, 'InvalidatedRetryToken', 'The retry token was already used for a different request.');
      }
      return { status: seen.status, body: seen.body, ...(seen.etag === undefined ? {} : { etag: seen.etag }) };
    }
  }

  const accepted = acceptUploadedKey(parseKeyField(request.body));
  if (accepted instanceof OciHttpError) throw accepted;
  if (store.findKey(userId, accepted.fingerprint) !== undefined) {
    // [guess] providers/oci.md §1.3: undocumented; status and code are options.
    const { status, code } = options.duplicateError;
    throw new OciHttpError(status, code, `The user already has an API key with fingerprint ${accepted.fingerprint}.`);
  }
  if (store.keysOf(userId).length >= options.keyLimit) {
    // [guess] providers/oci.md §1.3: the 4th-key error is undocumented; status and code are options.
    const { status, code } = options.limitError;
    throw new OciHttpError(status, code, `The user already has the maximum number of API keys (${options.keyLimit}).`);
  }

  const key: StoredKey = {
    fingerprint: accepted.fingerprint,
    keyValue: accepted.keyValue,
    timeCreated: new Date(now).toISOString(),
    activeAt: now + options.activateAfterMs,
    etag: randomBytes(16).toString('hex'),
    ...authenticatesFromField(options, now),
  };
  store.ensureUser(userId);
  store.addKey(userId, key);
  // The upload answer always says CREATING, even when the key is ACTIVE by the next read.
  const reply: Reply = { status: 200, body: JSON.stringify(apiKeyJson(store.tenancy, userId, key, 'CREATING')), etag: key.etag };
  if (token !== undefined) {
    store.rememberRetry(token, { requestHash, status: 200, body: reply.body ?? '', etag: key.etag, expiresAt: now + RETRY_TOKEN_TTL_MS });
  }
  store.commit();
  return reply;
}

/** DELETE …/apiKeys/{fingerprint}: 204; honours `if-match` against the key's etag. */
export function deleteApiKey(ctx: OperationContext, userId: string, fingerprint: string): Reply {
  authorize(ctx, userId);
  const { store } = ctx;
  const key = store.findKey(userId, fingerprint);
  if (key === undefined) throw notAuthorizedOrNotFound('unknown key');
  const ifMatch = header(ctx, 'if-match');
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== key.etag) {
    // [guess] providers/oci.md §7.11: 412 on an etag mismatch.
    throw new OciHttpError(412, 'NoEtagMatch', 'The if-match header does not match the resource\u2019s etag.');
  }
  store.removeKey(userId, fingerprint);
  store.commit();
  return { status: 204 };
}
