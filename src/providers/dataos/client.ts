/**
 * A small Heimdall client over node:http (../shared/http-request.ts, cheaper per call than `fetch`): base URL `{url}/heimdall/api/v1`, the
 * API token in an `apikey` header (the DataOS SDKs' way) or as `Authorization: Bearer`,
 * JSON in and out, a timeout per attempt, and retries (retry.ts). It returns answers as
 * `unknown` for wire.ts to check, and turns failures into ProviderErrors (errors.ts).
 * Nothing here logs a header or a body: both can hold tokens.
 */
import { randomUUID } from 'node:crypto';
import type { Secret } from '../../model/secret.js';
import type { RetryNotice } from '../contract.js';
import { transport, type HttpAnswer, type HttpRequest } from '../shared/http-request.js';
import { sleep } from '../shared/retry.js';
import { httpError, networkError, type CallContext, type HeimdallOperation } from './errors.js';
import { backoffMs, isRetryableStatus, type RetryPolicy } from './retry.js';
import type { AuthHeader } from './settings.js';

/** How a client reaches Heimdall. */
export interface HeimdallClientOptions {
  /** e.g. `https://acme.dataos.app/heimdall/api/v1`. */
  readonly baseUrl: string;
  readonly token: Secret;
  readonly authHeader: AuthHeader;
  /** Where the token came from, for error messages (`environment variable DATAOS_APIKEY`). */
  readonly tokenSource: string;
  /** Provider block name. */
  readonly provider: string;
  readonly retry: RetryPolicy;
  /** Limit of one attempt, in ms. */
  readonly timeoutMs: number;
  /** Told before each retry pause (ConfigureRequest.onRetry). @default none */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** One call. */
export interface HeimdallCall {
  readonly operation: HeimdallOperation;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, already percent-encoded (`users/alice/tokens`). */
  readonly path: string;
  /** The JSON body of each attempt (1-based): a retry may send a different one. */
  readonly body?: (attempt: number) => unknown;
  /** Statuses returned as answers instead of thrown (e.g. 404 for a delete). */
  readonly accept?: readonly number[];
  /** User the call addresses and key it is for, for error messages. */
  readonly user?: string;
  readonly key?: string;
  readonly signal?: AbortSignal;
}

/** A 2xx (or accepted) answer. */
export interface HeimdallAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Attempts it took; above 1 means an earlier attempt's outcome is unknown. */
  readonly attempts: number;
}

/** Talks to one Heimdall with one token. */
export class HeimdallClient {
  readonly #o: HeimdallClientOptions;

  constructor(options: HeimdallClientOptions) {
    this.#o = options;
  }

  /** The token's origin, as error messages name it. */
  get tokenSource(): string {
    return this.#o.tokenSource;
  }

  /** Sends the call, retrying 429/5xx/no-answer up to the policy's attempts; throws ProviderError otherwise. */
  async send(call: HeimdallCall): Promise<HeimdallAnswer> {
    const ctx: CallContext = { provider: this.#o.provider, operation: call.operation, tokenSource: this.#o.tokenSource, user: call.user, key: call.key };
    const url = `${this.#o.baseUrl}/${call.path}`;
    const policy = this.#o.retry;
    for (let attempt = 1; ; attempt++) {
      call.signal?.throwIfAborted();
      let res: HttpAnswer;
      let body: unknown;
      try {
        res = await transport.send(url, this.#init(call, attempt));
        body = readBody(res);
      } catch (err) {
        // An abort by the caller ends the call; a timeout or a network error is retried.
        if (call.signal?.aborted) throw call.signal.reason;
        if (attempt >= policy.maxAttempts) throw networkError(ctx, new URL(url).origin, err);
        await this.#pause(call, 'no response', backoffMs(policy, attempt, null), attempt);
        continue;
      }
      if (res.ok || call.accept?.includes(res.status)) return { status: res.status, body, attempts: attempt };
      if (!isRetryableStatus(res.status) || attempt >= policy.maxAttempts) throw httpError(ctx, res.status, body);
      await this.#pause(call, String(res.status), backoffMs(policy, attempt, res.header('retry-after')), attempt);
    }
  }

  /** Says why the call waits (onRetry), then waits. */
  async #pause(call: HeimdallCall, reason: string, delayMs: number, attempt: number): Promise<void> {
    this.#o.onRetry?.({ operation: call.operation, reason, delayMs, attempt: attempt + 1, maxAttempts: this.#o.retry.maxAttempts });
    await sleep(delayMs, call.signal);
  }

  #init(call: HeimdallCall, attempt: number): HttpRequest {
    const token = this.#o.token.reveal();
    const headers: Record<string, string> = {
      accept: 'application/json',
      // The SDKs send one per call; it lets an operator find keyplan's requests in Heimdall's logs.
      'dataos-correlation-id': randomUUID(),
      ...(this.#o.authHeader === 'bearer' ? { authorization: `Bearer ${token}` } : { apikey: token }),
    };
    const body = call.body?.(attempt);
    if (body !== undefined) headers['content-type'] = 'application/json';
    return {
      method: call.method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: this.#o.timeoutMs,
      signal: call.signal,
      // A redirect would carry the token to wherever it points.
      redirect: 'error',
    };
  }
}

/** JSON when the body parses as JSON, its text otherwise, undefined when empty. */
function readBody(res: HttpAnswer): unknown {
  const text = res.text;
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
