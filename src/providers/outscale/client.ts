/**
 * A minimal OAPI client over node:http (../shared/http-request.ts, cheaper per call than `fetch`): `POST {base}/{Action}` with a JSON body,
 * authenticated per attempt (a retry gets a fresh date, so it never goes stale against
 * the 5-minute skew limit), retried on throttling, 5xx and network failures.
 *
 * A call that is not idempotent (CreateAccessKey) is only retried when the failure proves
 * the request was not carried out: throttling answers (429, 503 code 6) and refused
 * connections. Otherwise the error is thrown and `mayHaveExecuted` tells the caller to
 * find out what happened.
 */
import { ProviderError } from '../../errors/errors.js';
import { logger } from '../../log/logger.js';
import { errorCode } from '../shared/fetch-failure.js';
import type { RetryNotice } from '../contract.js';
import { transport, type HttpAnswer } from '../shared/http-request.js';
import { sleep } from '../shared/retry.js';
import type { OutscaleConnection } from './credentials.js';
import { actionUrl } from './endpoint.js';
import { failureError, networkError, parseFailure, type OapiAction, type OapiCallContext } from './errors.js';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from './retry.js';
import { basicAuthHeaders, signRequest } from './signing/index.js';

/** Tuning of a client; the defaults suit the real API. */
export interface OapiClientOptions {
  readonly retry?: RetryPolicy;
  /** Per-attempt timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Clock for request dates and Retry-After. @default Date.now */
  readonly now?: () => number;
  /** Jitter source, [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Told before each retry pause (ConfigureRequest.onRetry). @default none */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** Per-call facts. */
export interface CallOptions {
  /** The EIM user the call addresses (messages only; the body carries `UserName`). */
  readonly userName?: string;
  /** The keyplan key the call is for (messages only). */
  readonly key?: string;
  /** False for calls that must not run twice. @default true */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
}

/** A JSON object answer. */
export type OapiResponse = Readonly<Record<string, unknown>>;

// Errors of requests that provably never reached the API (the connection was refused).
const unsent = new WeakSet<ProviderError>();

/** False when `error` proves its call was not carried out (so nothing needs checking). */
export function mayHaveExecuted(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return true;
  if (unsent.has(error)) return false;
  const s = error.statusCode;
  if (s === undefined) return true;
  return s >= 500 && !(s === 503 && error.serviceCode === '6');
}

/** Calls OAPI actions for one provider block. */
export class OapiClient {
  readonly #conn: OutscaleConnection;
  readonly #provider: string;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #onRetry: ((notice: RetryNotice) => void) | undefined;
  /** Each action's URL, parsed once: a refresh calls ReadAccessKeys once per user. */
  readonly #urls = new Map<OapiAction, URL>();

  constructor(connection: OutscaleConnection, provider: string, options: OapiClientOptions = {}) {
    this.#conn = connection;
    this.#provider = provider;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
  }

  /** Sends `action` with `body`; resolves to the answer's JSON object or throws ProviderError. */
  async call(action: OapiAction, body: Readonly<Record<string, unknown>>, options: CallOptions = {}): Promise<OapiResponse> {
    const ctx: OapiCallContext = {
      provider: this.#provider,
      action,
      ...(options.userName !== undefined ? { userName: options.userName } : {}),
      ...(options.key !== undefined ? { key: options.key } : {}),
    };
    let url = this.#urls.get(action);
    if (url === undefined) this.#urls.set(action, (url = actionUrl(this.#conn.baseUrl, action)));
    const text = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      const outcome = await this.#attempt(url, text, ctx, options.signal);
      if (!(outcome instanceof ProviderError)) return outcome.body;
      const error = outcome;
      const again = attempt < this.#retry.maxAttempts && error.retryable && (options.idempotent !== false || !mayHaveExecuted(error));
      logger().debug('oapi call failed', { action, attempt, status: error.statusCode, code: error.serviceCode, requestId: error.requestId, retry: again });
      if (!again) throw error;
      const retryAfter = retryAfterOf.get(error);
      const delayMs = retryDelay(attempt, retryAfter, this.#retry, this.#now(), this.#random);
      // The status alone: OUTSCALE's numeric codes (24, 25, 6) mean nothing to a reader here.
      const reason = error.statusCode === undefined ? 'no response' : String(error.statusCode);
      this.#onRetry?.({ operation: action, reason, delayMs, attempt: attempt + 1, maxAttempts: this.#retry.maxAttempts });
      await sleep(delayMs, options.signal);
    }
  }

  async #attempt(url: URL, text: string, ctx: OapiCallContext, signal: AbortSignal | undefined): Promise<{ body: OapiResponse } | ProviderError> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...this.#authHeaders(url, text) };
    let response: HttpAnswer;
    try {
      response = await transport.send(url, { method: 'POST', headers, body: text, timeoutMs: this.#timeoutMs, signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const failure = networkError(error, ctx, url);
      // fetch's TypeError carries the socket error as its cause; a refused connection sent nothing.
      if (errorCode(error instanceof Error ? error.cause : undefined) === 'ECONNREFUSED') unsent.add(failure);
      return failure;
    }
    if (response.ok) {
      const body = parseObject(response.text);
      if (body !== undefined) {
        logger().debug('oapi call', { action: ctx.action, status: response.status, requestId: requestIdOf(body) });
        return { body };
      }
      return new ProviderError(`outscale: ${ctx.action}: the API answered ${response.status} with a body that is not a JSON object`, {
        provider: ctx.provider,
        operation: ctx.action,
        retryable: false,
        statusCode: response.status,
      });
    }
    const failure = parseFailure(response.status, response.text, response.header('retry-after'));
    const error = failureError(failure, ctx);
    if (failure.retryAfter !== undefined) retryAfterOf.set(error, failure.retryAfter);
    return error;
  }

  #authHeaders(url: URL, body: string): Record<string, string> {
    const now = new Date(this.#now());
    const auth = this.#conn.auth;
    if (auth.method === 'basic') return basicAuthHeaders(auth.login, auth.password, now);
    const creds = { accessKey: auth.accessKey, secretKey: auth.secretKey, region: this.#conn.region };
    return signRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }, creds, now, auth.scheme);
  }
}

const retryAfterOf = new WeakMap<ProviderError, string>();

function parseObject(text: string): OapiResponse | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as OapiResponse) : undefined;
  } catch {
    return undefined;
  }
}

function requestIdOf(body: OapiResponse): string | undefined {
  const ctx = body['ResponseContext'];
  if (typeof ctx !== 'object' || ctx === null) return undefined;
  const id = (ctx as Record<string, unknown>)['RequestId'];
  return typeof id === 'string' ? id : undefined;
}
