/**
 * The `dataos` provider adapter for kind `dataos.api_key`: DataOS API key tokens through
 * Heimdall (`{url}/heimdall/api/v1`) over fetch. `POST authorize` tells whose token
 * keyplan holds (the owner of keys without `user`); `GET users/{id}/tokens` lists;
 * `POST users/{id}/tokens {type: "apikey", name, duration}` creates; the delete route is
 * UNVERIFIED (see DELETE_ROUTES) and every delete is confirmed by listing again.
 *
 * Tokens are keyed by name per user. A declared key owns the name family of its
 * `token_name` (`presto-driver`, `presto-driver-2`, …): a create takes the base name or
 * the generation after the highest one alive, so a rotation's new token overlaps the old.
 */
import { InternalError, ProviderError } from '../../errors/errors.js';
import { nextGenerationName } from '../../model/name-family.js';
import {
  CONTRACT_VERSION,
  type AdapterFactory,
  type ConfigureRequest,
  type CreateRequest,
  type CreateResult,
  type DeleteRequest,
  type ListRequest,
  type ListResult,
  type ProviderAdapter,
  type VerifyRequest,
  type VerifyResult,
} from '../contract.js';
import { DATAOS_CALLER } from './caller.js';
import { connectHeimdall, type HeimdallConnection } from './connect.js';
import { DATAOS_CODES, badResponse, userNotFound } from './errors.js';
import { DATAOS_API_KEY_KIND, liveIdOf, tokenNameOf, toLiveKey } from './live.js';
import { verifyToken } from './verify.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { parseCreatedToken, parseTokenList, type CreatedToken, type ListedToken } from './wire.js';

/**
 * UNVERIFIED: no public source shows how Heimdall deletes a token (providers/outscale-
 * dataos.md B2 marks it a guess). `path` — `DELETE users/{id}/tokens/{name}` — matches
 * `dataos-ctl user apikey delete -n NAME` being name-keyed; `query` is the alternative.
 */
export const DELETE_ROUTES = {
  path: (user: string, name: string) => `users/${encodeURIComponent(user)}/tokens/${encodeURIComponent(name)}`,
  query: (user: string, name: string) => `users/${encodeURIComponent(user)}/tokens?name=${encodeURIComponent(name)}`,
} as const;

/** Token lifetime when a key declares none: `dataos-ctl`'s default. */
export const DEFAULT_DURATION = '24h';

/** Tuning of a {@link DataosAdapter}; the defaults suit real Heimdall, tests shorten them. */
export interface DataosAdapterOptions {
  /** Retries of 429/5xx/no-answer. @default {maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000} */
  readonly retry?: Partial<RetryPolicy>;
  /** Limit of one HTTP attempt, in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** Which (unverified) delete route to use. @default 'path' */
  readonly deleteRoute?: keyof typeof DELETE_ROUTES;
  /** Clock for telling expired tokens apart in listings, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** Adapter for DataOS API keys. Configure once, then list/create/delete. */
export class DataosAdapter implements ProviderAdapter {
  readonly contractVersion = CONTRACT_VERSION;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #deleteRoute: keyof typeof DELETE_ROUTES;
  readonly #now: () => number;
  #state: HeimdallConnection | undefined;

  constructor(options: DataosAdapterOptions = {}) {
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#deleteRoute = options.deleteRoute ?? 'path';
    this.#now = options.now ?? Date.now;
  }

  /** Reads the token (env variable or sandbox), then asks Heimdall whose it is. */
  async configure(req: ConfigureRequest): Promise<void> {
    this.#state = await connectHeimdall(req, { retry: this.#retry, timeoutMs: this.#timeoutMs });
  }

  /** Every API key token of the owner's user: one `GET users/{id}/tokens`. */
  async list(req: ListRequest): Promise<ListResult> {
    const s = this.#configured();
    checkKind(req.kind);
    const userId = this.#userOf(s, req.owner);
    const tokens = await this.#listTokens(s, userId, req.signal).catch((e: unknown) => {
      // The caller's own user exists (its token authenticated); only a declared `user` can be wrong.
      const declared = req.owner !== DATAOS_CALLER && e instanceof ProviderError && e.statusCode === 404;
      throw declared ? userNotFound(e, { provider: s.name, user: req.owner, kind: req.kind }) : e;
    });
    const now = this.#now();
    const keys = tokens
      .filter((t) => t.type === 'apikey' || t.type === '')
      .map((t) => toLiveKey(t, { provider: s.name, owner: req.owner, userId }, now))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { keys };
  }

  /**
   * Lists the user's tokens to pick the family's next name, journals it, then creates it.
   * The first attempt refuses a taken name; retries after a lost answer send
   * `use_existing: true`, which returns the token the lost attempt made (the name was
   * free a moment before, and the intent is journalled) instead of failing on it.
   */
  async create(req: CreateRequest): Promise<CreateResult> {
    const s = this.#configured();
    const { key } = req;
    checkKind(key.kind);
    const base = stringAttribute(key.attributes, 'token_name') ?? key.name;
    const duration = stringAttribute(key.attributes, 'duration') ?? DEFAULT_DURATION;
    const userId = this.#userOf(s, key.owner);
    const taken = (await this.#listTokens(s, userId, req.signal)).map((t) => t.name);
    const name = nextGenerationName(base, taken);
    req.signal?.throwIfAborted();
    await req.recordIntent(liveIdOf(key.owner, name));
    // Journalled but not sent: an abort here leaves an intent the next plan finds empty.
    req.signal?.throwIfAborted();
    const ctx = { operation: 'CreateToken' as const, user: userId, key: key.name };
    const answer = await s.client
      .send({
        ...ctx,
        method: 'POST',
        path: `users/${encodeURIComponent(userId)}/tokens`,
        body: (attempt) => ({ type: 'apikey', name, duration, ...(attempt > 1 ? { use_existing: true } : {}) }),
        signal: req.signal,
      })
      .catch((err: unknown) => {
        if (err instanceof ProviderError && err.statusCode === 409) {
          throw new ProviderError(
            `${err.message} (token ${name} of user ${userId} appeared after keyplan listed the tokens; nothing was created, plan again)`,
            {
              provider: s.name,
              operation: 'CreateToken',
              key: key.name,
              retryable: false,
              statusCode: 409,
              code: DATAOS_CODES.nameTaken,
              cause: err,
            },
          );
        }
        throw err;
      });
    const created = parseCreatedToken(answer.body);
    if (typeof created === 'string' || created.name !== name) {
      // All-or-nothing: a token keyplan cannot deliver is removed before reporting.
      await this.#deleteQuietly(s, userId, name);
      throw badResponse(
        { provider: s.name, tokenSource: s.client.tokenSource, ...ctx },
        typeof created === 'string' ? created : `asked for token ${name}, got ${created.name}`,
      );
    }
    const live = toLiveKey(created, { provider: s.name, owner: key.owner, userId }, this.#now());
    return { live, material: materialOf(created, userId) };
  }

  /** Deletes a token by name, then lists to confirm it is gone (the route is unverified). */
  async delete(req: DeleteRequest): Promise<void> {
    const s = this.#configured();
    checkKind(req.kind);
    const name = tokenNameOf(req.owner, req.id);
    if (name === undefined) throw new InternalError(`Expected a DataOS live id of owner \`${req.owner}\` (owner/name), got \`${req.id}\``);
    const userId = this.#userOf(s, req.owner);
    req.signal?.throwIfAborted();
    await req.recordIntent();
    const answer = await s.client.send({
      // 404: gone already, or a route Heimdall does not have; 405: a route it has for
      // other methods. The list below tells which.
      operation: 'DeleteToken',
      method: 'DELETE',
      path: DELETE_ROUTES[this.#deleteRoute](userId, name),
      accept: [404, 405],
      user: userId,
      signal: req.signal,
    });
    const still = (await this.#listTokens(s, userId, req.signal)).some((t) => t.name === name);
    if (still) {
      throw new ProviderError(
        `dataos: DeleteToken for user ${userId}: Heimdall answered ${answer.status} but token ${name} is still listed; the delete route keyplan uses is unverified (see README, kind dataos.api_key)`,
        { provider: s.name, operation: 'DeleteToken', retryable: false, statusCode: answer.status, code: DATAOS_CODES.deleteUnconfirmed },
      );
    }
  }

  async close(): Promise<void> {
    this.#state = undefined;
  }

  /** One attempt to authenticate with a new token: `authorize` (verify.ts). */
  async verify(req: VerifyRequest): Promise<VerifyResult> {
    const s = this.#configured();
    checkKind(req.key.kind);
    const token = req.material.secrets['token'] ?? req.material.file;
    const user = req.material.values['user'] ?? this.#userOf(s, req.live.owner);
    const { signal } = req;
    return verifyToken({ client: s.client, token, user, key: req.key.name, ...(signal === undefined ? {} : { signal }) });
  }

  #configured(): HeimdallConnection {
    if (this.#state === undefined) throw new InternalError('Expected the DataOS adapter to be configured before use, got no configure() call');
    return this.#state;
  }

  #userOf(s: HeimdallConnection, owner: string): string {
    return owner === DATAOS_CALLER ? s.caller : owner;
  }

  async #listTokens(s: HeimdallConnection, userId: string, signal?: AbortSignal): Promise<ListedToken[]> {
    const path = `users/${encodeURIComponent(userId)}/tokens`;
    const answer = await s.client.send({ operation: 'ListTokens', method: 'GET', path, user: userId, signal });
    const tokens = parseTokenList(answer.body);
    if (typeof tokens === 'string') throw badResponse({ provider: s.name, operation: 'ListTokens', tokenSource: s.client.tokenSource, user: userId }, tokens);
    return tokens;
  }

  async #deleteQuietly(s: HeimdallConnection, userId: string, name: string): Promise<void> {
    await s.client
      .send({ operation: 'DeleteToken', method: 'DELETE', path: DELETE_ROUTES[this.#deleteRoute](userId, name), accept: [404], user: userId })
      .catch(() => undefined);
  }
}

/** The outputs' view of a token: `file` is the bare token (no newline), `TOKEN`, and name/user/expiration. */
function materialOf(created: CreatedToken, userId: string): CreateResult['material'] {
  return {
    file: created.token,
    secrets: { token: created.token },
    values: { name: created.name, user: userId, ...(created.expiration === undefined ? {} : { expiration: created.expiration }) },
  };
}

function stringAttribute(attrs: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = attrs[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function checkKind(kind: string): void {
  if (kind !== DATAOS_API_KEY_KIND) throw new InternalError(`Expected kind \`${DATAOS_API_KEY_KIND}\` for the dataos adapter, got \`${kind}\``);
}

/** Registry factory for provider blocks of `type: dataos`. */
export const createDataosAdapter: AdapterFactory = async () => new DataosAdapter();
