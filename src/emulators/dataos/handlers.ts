/**
 * The Heimdall operations (providers/outscale-dataos.md B2): authorize as whoami, users,
 * and name-keyed API key tokens per user. Who may touch whose tokens is not documented;
 * the emulator lets a user manage its own tokens and an operator (OPERATOR_TAG) anyone's
 * [guess].
 */
import type { IncomingHttpHeaders } from 'node:http';
import { callerOf, tokenFromHeaders, type Caller } from './auth.js';
import { authenticatesFromField, isRecord } from '../shared/index.js';
import { HeimdallHttpError } from './errors.js';
import { parseGoDuration } from './go-duration.js';
import { OPERATOR_TAG, USER_ID_PATTERN, type ResolvedDataosOptions } from './options.js';
import { HEIMDALL_PREFIX } from './routes.js';
import type { StoredToken, StoredUser, TokenStore } from './store.js';
import { encodeToken, expirationAfter, formatExpiration, generatedTokenName, mintTokenSecret } from './tokens.js';

/** What a handler answers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

/** Everything one request needs. */
export interface OperationContext {
  readonly store: TokenStore;
  readonly options: ResolvedDataosOptions;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  readonly now: number;
}

/** [inference] the API's default lifetime is the CLI's `-d` default. */
const DEFAULT_DURATION = '24h';
const TOKEN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** `POST authorize {token}`: the whoami. Needs no auth header (Querybook sends none). */
export function authorize(ctx: OperationContext): Reply {
  const fromBody = isRecord(ctx.body) && typeof ctx.body['token'] === 'string' ? ctx.body['token'] : undefined;
  const token = fromBody ?? tokenFromHeaders(ctx.headers);
  if (token === undefined || token === '') throw new HeimdallHttpError(400, 'token is required');
  let caller: Caller;
  try {
    caller = callerOf(ctx.store, token, ctx.now);
  } catch (err) {
    if (!(err instanceof HeimdallHttpError) || ctx.options.invalidAuthorize === 'status') throw err;
    return { status: 200, body: { allow: false, valid: false, error: { status: err.status, message: err.message } } };
  }
  return { status: 200, body: { allow: true, valid: true, result: { id: caller.user.id, tags: [...caller.user.tags] } } };
}

/** `GET users`. */
export function listUsers(ctx: OperationContext): Reply {
  callerOf(ctx.store, tokenFromHeaders(ctx.headers), ctx.now);
  return { status: 200, body: ctx.store.users().map(userBody) };
}

/** `GET users/{id}`. */
export function getUser(ctx: OperationContext, userId: string): Reply {
  callerOf(ctx.store, tokenFromHeaders(ctx.headers), ctx.now);
  const user = ctx.store.user(userId);
  if (user === undefined) throw new HeimdallHttpError(404, `user ${userId} not found`);
  return { status: 200, body: userBody(user) };
}

/** `GET users/{id}/tokens`: every token of the user. */
export function listTokens(ctx: OperationContext, userId: string): Reply {
  permitted(ctx, userId);
  const user = userFor(ctx, userId, false);
  const tokens = user === undefined ? [] : user.tokens;
  return { status: 200, body: tokens.map((t) => tokenBody(userId, t, ctx.options.listRevealsToken)) };
}

/**
 * `POST users/{id}/tokens {type, name, duration, use_existing}`: 201 with a new token, or
 * 200 with the existing one when `use_existing` is set and the name is taken.
 */
export function createToken(ctx: OperationContext, userId: string): Reply {
  permitted(ctx, userId);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const type = body['type'] ?? 'apikey';
  if (type !== 'apikey') throw new HeimdallHttpError(400, `unsupported token type ${JSON.stringify(type)}`);
  const name = body['name'] ?? generatedTokenName();
  if (typeof name !== 'string' || !TOKEN_NAME.test(name)) throw new HeimdallHttpError(400, 'invalid token name');
  const durationText = body['duration'] ?? DEFAULT_DURATION;
  const durationMs = typeof durationText === 'string' ? parseGoDuration(durationText) : undefined;
  if (durationMs === undefined || durationMs <= 0) throw new HeimdallHttpError(400, `invalid duration ${JSON.stringify(durationText)}`);
  const useExisting = body['use_existing'] === true;

  const user = userFor(ctx, userId, true) as StoredUser;
  const existing = user.tokens.find((t) => t.name === name);
  if (existing !== undefined) {
    if (useExisting) return { status: 200, body: tokenBody(userId, existing, true) };
    const { status, message } = ctx.options.duplicateNameError;
    throw new HeimdallHttpError(status, message, `token ${name} exists for ${userId}`);
  }
  const token: StoredToken = {
    name,
    uuid: mintTokenSecret(),
    type: 'apikey',
    createdAt: ctx.now,
    expiresAt: expirationAfter(ctx.now, durationMs),
    ...authenticatesFromField(ctx.options, ctx.now),
  };
  user.tokens.push(token);
  ctx.store.commit();
  return { status: 201, body: tokenBody(userId, token, true) };
}

/** The token delete ([guess] route and 204 status): 404 when the user has no token of that name. */
export function deleteToken(ctx: OperationContext, userId: string, name: string): Reply {
  permitted(ctx, userId);
  userFor(ctx, userId, false);
  if (!ctx.store.removeToken(userId, name)) throw new HeimdallHttpError(404, `token ${name} not found`);
  ctx.store.commit();
  return { status: 204 };
}

/** Authenticates the caller and checks it may manage `userId`'s tokens. */
function permitted(ctx: OperationContext, userId: string): Caller {
  const caller = callerOf(ctx.store, tokenFromHeaders(ctx.headers), ctx.now);
  if (caller.user.id !== userId && !caller.user.tags.includes(OPERATOR_TAG)) {
    throw new HeimdallHttpError(403, 'forbidden', `${caller.user.id} may not manage tokens of ${userId}`);
  }
  return caller;
}

/**
 * The user, or 404. With `autoCreateUsers` an unknown user exists on first use: `create`
 * adds it, otherwise (a list) it simply has no tokens yet.
 */
function userFor(ctx: OperationContext, userId: string, create: boolean): StoredUser | undefined {
  const user = ctx.store.user(userId);
  if (user !== undefined) return user;
  if (!ctx.options.autoCreateUsers || !USER_ID_PATTERN.test(userId)) throw new HeimdallHttpError(404, `user ${userId} not found`);
  return create ? ctx.store.ensureUser(userId) : undefined;
}

function userBody(user: StoredUser): Record<string, unknown> {
  const self = `${HEIMDALL_PREFIX}/users/${encodeURIComponent(user.id)}`;
  return {
    id: user.id,
    name: user.name,
    type: user.type,
    tags: [...user.tags],
    _links: { self: { href: self }, tokens: { href: `${self}/tokens` } },
  };
}

/** A token as the API shows it; `data.apikey` only where the secret is revealed. */
function tokenBody(userId: string, token: StoredToken, reveal: boolean): Record<string, unknown> {
  return {
    name: token.name,
    type: token.type,
    expiration: formatExpiration(token.expiresAt),
    user_id: userId,
    data: reveal ? { apikey: encodeToken(token.name, token.uuid) } : {},
    _links: { self: { href: `${HEIMDALL_PREFIX}/users/${encodeURIComponent(userId)}/tokens/${encodeURIComponent(token.name)}` } },
  };
}
