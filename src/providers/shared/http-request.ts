/**
 * One HTTP request and its whole answer: what the providers' JSON clients need from `fetch`,
 * at a fraction of its cost per call. A refresh makes one call per user; measured on a
 * 2-core machine, a fresh process making 400 keep-alive calls spent about 1 s of CPU through
 * fetch, 245 ms through node:http and 65 ms writing and reading HTTP/1.1 itself over
 * node:net (http-wire.ts, http-pool.ts), which is what this does.
 *
 * Failures look like fetch's, so the clients' error handling reads them alike: a network
 * failure rejects with `TypeError('fetch failed')` whose `cause` is the socket error (its
 * `code`: ECONNREFUSED…), the per-attempt timeout with a `TimeoutError` DOMException, the
 * caller's abort with the signal's reason. Redirects are followed as fetch follows them
 * (dropping `authorization` and `apikey` when the origin changes) or refused (`redirect: 'error'`).
 * Compressed answers are decoded; a leading byte order mark is dropped, as `text()` does.
 * Nothing is sent twice here (a create must not be): the clients retry what is safe to.
 */
import { Buffer } from 'node:buffer';
import type net from 'node:net';
import { createRequire } from 'node:module';
import { onAbort } from '../../model/abort-listeners.js';
import { acquire, keepAliveMs, readWith, release } from './http-pool.js';
import { requestBytes, ResponseReader, type WireResponse } from './http-wire.js';

/** A request to send. */
export interface HttpRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Limit of the whole exchange, in ms. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** @default 'follow' */
  readonly redirect?: 'follow' | 'error';
}

/** A whole answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  /** A response header (lower-case name), or null. */
  header(name: string): string | null;
  readonly text: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Headers holding credentials, dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = ['authorization', 'apikey'];

// node:zlib is loaded for the first compressed answer only (the APIs answer plain JSON).
const require = createRequire(import.meta.url);
let zlibModule: typeof import('node:zlib') | undefined;
const zlib = (): typeof import('node:zlib') => (zlibModule ??= require('node:zlib') as typeof import('node:zlib'));

/** The transport the clients call; tests may wrap `send` to lose an answer. */
export const transport = { send: sendRequest };

/** Sends `req` to `url`; resolves to the whole answer. */
export async function sendRequest(url: URL | string, req: HttpRequest): Promise<HttpAnswer> {
  let target = typeof url === 'string' ? new URL(url) : url;
  let { method, body } = req;
  let headers: Record<string, string> = { ...req.headers };
  const deadline = Date.now() + req.timeoutMs;
  for (let hop = 0; ; hop++) {
    const answer = await exchange(target, method, headers, body, deadline, req.signal);
    const location = answer.header('location');
    if (!REDIRECTS.has(answer.status) || location === null) return answer;
    if (req.redirect === 'error' || hop >= MAX_REDIRECTS)
      throw new TypeError('fetch failed', { cause: new TypeError(req.redirect === 'error' ? 'unexpected redirect' : 'redirect count exceeded') });
    const next = new URL(location, target);
    if (next.origin !== target.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())));
    // As fetch: a 303, or a 301/302 answering a POST, is followed with a GET and no body.
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !k.toLowerCase().startsWith('content-')));
    }
    target = next;
  }
}

async function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<HttpAnswer> {
  signal?.throwIfAborted();
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('fetch failed', { cause: new TypeError(`unsupported protocol ${url.protocol}`) });
  const bytes = requestBytes(url, method, headers, body === undefined ? undefined : Buffer.from(body, 'utf8'));
  const origin = url.origin;
  const socket = acquire(url, origin);
  const outcome = await roundTrip(socket, bytes, method === 'HEAD', deadline, signal);
  if (!('response' in outcome)) throw outcome.error;
  const { response } = outcome;
  if (response.keepAlive && !outcome.leftover) release(origin, socket, keepAliveMs(response.headers.get('keep-alive')));
  else socket.destroy();
  return answerOf(response);
}

type Outcome = { response: WireResponse; leftover: boolean } | { error: unknown };

/** Writes the request on `socket` and reads its answer; never rejects. */
function roundTrip(socket: net.Socket, bytes: Buffer, head: boolean, deadline: number, signal: AbortSignal | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    const reader = new ResponseReader(head);
    let settled = false;
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopListening();
      readWith(socket, undefined);
      if (!('response' in outcome)) socket.destroy();
      resolve(outcome);
    };
    const fail = (cause: unknown): void => finish({ error: new TypeError('fetch failed', { cause }) });
    const onData = (chunk: Buffer): void => {
      let response: WireResponse | undefined;
      try {
        response = reader.push(chunk);
      } catch (error) {
        return fail(error);
      }
      if (response !== undefined) finish({ response, leftover: reader.leftover > 0 });
    };
    const onEnd = (): void => {
      try {
        finish({ response: reader.end(), leftover: false });
      } catch (error) {
        fail(Object.assign(error as Error, { code: reader.started ? 'UND_ERR_SOCKET' : 'ECONNRESET' }));
      }
    };
    const onError = (error: Error): void => fail(error);
    const timer = setTimeout(
      () => finish({ error: new DOMException('The operation was aborted due to timeout', 'TimeoutError') }),
      Math.max(0, deadline - Date.now()),
    );
    const stopListening = signal === undefined ? () => undefined : onAbort(signal, () => finish({ error: signal.reason }));
    readWith(socket, { onData, onEnd, onError });
    socket.write(bytes);
  });
}

function answerOf(response: WireResponse): HttpAnswer {
  let text = decoded(response).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { status, headers } = response;
  return { status, ok: status >= 200 && status < 300, header: (name) => headers.get(name.toLowerCase()) ?? null, text };
}

/** The answer's body, decompressed when the server compressed it. */
function decoded(response: WireResponse): Buffer {
  const encoding = (response.headers.get('content-encoding') ?? '').trim().toLowerCase();
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return zlib().gunzipSync(response.body);
    if (encoding === 'deflate') return zlib().inflateSync(response.body);
    if (encoding === 'br') return zlib().brotliDecompressSync(response.body);
  } catch (error) {
    throw new TypeError('fetch failed', { cause: error });
  }
  return response.body;
}
