/**
 * One HTTP request and its whole answer, over node:http(s) with keep-alive agents: what the
 * providers' JSON clients need from `fetch`, at a fraction of its cost per call (a
 * refresh makes one call per user: 400 calls cost about a second of CPU through fetch and
 * a fifth of that here, and fetch's own start-up is not paid at all).
 *
 * Failures look like fetch's, so the clients' error handling reads them alike: a network
 * failure rejects with `TypeError('fetch failed')` whose `cause` is the socket error (its
 * `code`: ECONNREFUSED…), the per-attempt timeout with a `TimeoutError` DOMException, the
 * caller's abort with the signal's reason. Redirects are followed as fetch follows them
 * (dropping `authorization` and `apikey` when the origin changes) or refused (`redirect: 'error'`).
 * Compressed answers are decoded; a leading byte order mark is dropped, as `text()` does.
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

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

const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Headers holding credentials, dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = ['authorization', 'apikey'];

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

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const lib = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const all = payload === undefined ? headers : { ...headers, 'content-length': String(payload.length) };
    let settled = false;
    const finish = (error: unknown, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        request.destroy();
        reject(error);
      } else resolve(answer as HttpAnswer);
    };
    const onAbort = (): void => finish(signal?.reason);
    const timer = setTimeout(() => finish(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', onAbort, { once: true });
    const request = lib.request(url, { method, headers: all, agent }, (response) => {
      const chunks: Buffer[] = [];
      const stream = decoded(response);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => finish(new TypeError('fetch failed', { cause: error })));
      stream.on('end', () => {
        let text = Buffer.concat(chunks).toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        const status = response.statusCode ?? 0;
        const header = (name: string): string | null => {
          const v = response.headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        };
        finish(undefined, { status, ok: status >= 200 && status < 300, header, text });
      });
    });
    request.on('error', (error) => finish(new TypeError('fetch failed', { cause: error })));
    request.end(payload);
  });
}

/** The answer's body, decompressed when the server compressed it. */
function decoded(response: http.IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}
