/**
 * HTTP/1.1 on the wire, for the transport in http-request.ts: the bytes of a request, and an
 * incremental reader of the response (status line, headers, then a body framed by
 * content-length, by chunked transfer coding, or by the connection's end) per RFC 9112.
 * Interim 1xx responses are skipped; a HEAD answer and 204 and 304 have no body.
 */
import { Buffer } from 'node:buffer';

/** A response read whole. */
export interface WireResponse {
  readonly status: number;
  /** Lower-case names; a repeated header's values joined with ", " (as fetch's Headers.get does). */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** The server keeps the connection open for another request. */
  readonly keepAlive: boolean;
}

/** The answer is not HTTP/1.x as the transport reads it. */
export class MalformedResponseError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE';
}

// Header values travel as latin1 bytes; CR, LF and NUL in one would split or end the request.
const UNSAFE_HEADER = /[\r\n\0]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_HEAD_BYTES = 64 * 1024;

/** The request's head and body as bytes: `METHOD /path?query HTTP/1.1`, Host, the headers, content-length for a body. */
export function requestBytes(url: URL, method: string, headers: Readonly<Record<string, string>>, body: Buffer | undefined): Buffer {
  if (!TOKEN.test(method)) throw new TypeError(`Invalid HTTP method: ${JSON.stringify(method)}`);
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string;
    if (UNSAFE_HEADER.test(value)) throw new TypeError(`Invalid value of header ${name}: it holds a line break or NUL`);
    if (sentAsGiven(name)) head += `${name}: ${value}\r\n`;
  }
  if (body !== undefined) head += `content-length: ${body.length}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  const bytes = Buffer.from(head, 'latin1');
  return body === undefined || body.length === 0 ? bytes : Buffer.concat([bytes, body]);
}

/**
 * Whether a header is written as the caller gave it: a valid name, and not one this writes
 * itself. Names are checked once each (a client sends the same few on every call).
 */
function sentAsGiven(name: string): boolean {
  let sent = HEADER_NAMES.get(name);
  if (sent === undefined) {
    if (!TOKEN.test(name)) throw new TypeError(`Invalid header name: ${JSON.stringify(name)}`);
    sent = !WRITTEN_HERE.has(name.toLowerCase());
    if (HEADER_NAMES.size < MAX_NAMES_KEPT) HEADER_NAMES.set(name, sent);
  }
  return sent;
}

const WRITTEN_HERE = new Set(['host', 'content-length', 'connection']);
const HEADER_NAMES = new Map<string, boolean>();
const MAX_NAMES_KEPT = 256;

/** A response header's name in lower case; looked up, since servers send the same few names on every answer. */
function lowerName(raw: string): string {
  let lower = LOWER_NAMES.get(raw);
  if (lower === undefined) {
    lower = raw.trim().toLowerCase();
    if (LOWER_NAMES.size < MAX_NAMES_KEPT) LOWER_NAMES.set(raw, lower);
  }
  return lower;
}

const LOWER_NAMES = new Map<string, string>();

type Phase = 'head' | 'fixed' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

/** Reads one response from the bytes a connection delivers, in as many pieces as they come. */
export class ResponseReader {
  #buffered: Buffer = Buffer.alloc(0);
  #phase: Phase = 'head';
  #status = 0;
  #headers = new Map<string, string>();
  #keepAlive = true;
  #remaining = 0;
  readonly #body: Buffer[] = [];
  readonly #noBody: boolean;

  /** `headRequest`: the request was a HEAD, whose answer has headers only. */
  constructor(headRequest = false) {
    this.#noBody = headRequest;
  }

  /** Bytes past the end of the response: a server that sent them cannot be trusted with another request. */
  get leftover(): number {
    return this.#phase === 'done' ? this.#buffered.length : 0;
  }

  /** Whether any byte of a response arrived (a reused connection that failed before that may be retried). */
  get started(): boolean {
    return this.#phase !== 'head' || this.#buffered.length > 0;
  }

  /** Feeds bytes; returns the response once it is complete. Throws MalformedResponseError. */
  push(chunk: Buffer): WireResponse | undefined {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    for (;;) {
      const progressed = this.#step();
      if (this.#phase === 'done') return this.#response();
      if (!progressed) return undefined;
    }
  }

  /** The connection ended: the response, when its framing allows ending here. */
  end(): WireResponse {
    if (this.#phase === 'until-close') return this.#response();
    throw new MalformedResponseError(this.started ? 'the connection closed in the middle of the response' : 'the connection closed before a response');
  }

  #response(): WireResponse {
    this.#phase = 'done';
    return { status: this.#status, headers: this.#headers, body: Buffer.concat(this.#body), keepAlive: this.#keepAlive };
  }

  /** Takes what is buffered of the `#remaining` body bytes; once all came, moves on to `next`. */
  #takeBody(next: Phase): boolean {
    const take = Math.min(this.#remaining, this.#buffered.length);
    this.#consumeBody(take);
    this.#remaining -= take;
    if (this.#remaining === 0) this.#phase = next;
    return take > 0;
  }

  /** One step of reading; false when more bytes are needed. */
  #step(): boolean {
    switch (this.#phase) {
      case 'head':
        return this.#head();
      case 'fixed':
        return this.#takeBody('done');
      case 'chunk-size': {
        const line = this.#line();
        if (line === undefined) return false;
        const size = /^([0-9A-Fa-f]+)[ \t]*(?:;.*)?$/.exec(line);
        if (size === null) throw new MalformedResponseError('invalid chunk size');
        this.#remaining = parseInt(size[1] as string, 16);
        this.#phase = this.#remaining === 0 ? 'trailers' : 'chunk-data';
        return true;
      }
      case 'chunk-data':
        return this.#takeBody('chunk-end');
      case 'chunk-end': {
        const line = this.#line();
        if (line === undefined) return false;
        if (line !== '') throw new MalformedResponseError('chunk not followed by CRLF');
        this.#phase = 'chunk-size';
        return true;
      }
      case 'trailers': {
        const line = this.#line();
        if (line === undefined) return false;
        if (line === '') this.#phase = 'done';
        return true;
      }
      case 'until-close':
        this.#consumeBody(this.#buffered.length);
        return false;
      case 'done':
        return false;
    }
  }

  #head(): boolean {
    const end = this.#buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (this.#buffered.length > MAX_HEAD_BYTES) throw new MalformedResponseError('response headers too large');
      return false;
    }
    const lines = this.#buffered.toString('latin1', 0, end).split('\r\n');
    this.#buffered = this.#buffered.subarray(end + 4);
    const statusLine = /^HTTP\/1\.([01]) ([0-9]{3})(?: .*)?$/.exec(lines[0] as string);
    if (statusLine === null) throw new MalformedResponseError('invalid status line');
    const status = Number(statusLine[2]);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MalformedResponseError('invalid header line');
      const name = lowerName(line.slice(0, colon));
      const value = line.slice(colon + 1).trim();
      const earlier = headers.get(name);
      headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
    }
    // 100 Continue and other interim answers precede the real one.
    if (status >= 100 && status < 200 && status !== 101) return true;
    this.#status = status;
    this.#headers = headers;
    const connection = (headers.get('connection') ?? '').toLowerCase();
    this.#keepAlive = statusLine[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    const coding = (headers.get('transfer-encoding') ?? '').toLowerCase();
    const length = headers.get('content-length');
    if (this.#noBody || status === 204 || status === 304) this.#phase = 'done';
    else if (coding !== '') {
      if (!/(?:^|,)\s*chunked\s*$/.test(coding)) throw new MalformedResponseError(`unsupported transfer-encoding ${coding}`);
      this.#phase = 'chunk-size';
    } else if (length !== undefined) {
      if (!/^[0-9]+$/.test(length)) throw new MalformedResponseError('invalid content-length');
      this.#remaining = Number(length);
      this.#phase = this.#remaining === 0 ? 'done' : 'fixed';
    } else {
      // No framing: the body runs to the end of the connection, which cannot be reused.
      this.#keepAlive = false;
      this.#phase = 'until-close';
    }
    return true;
  }

  /** The next CRLF-terminated line, consumed; undefined while incomplete. */
  #line(): string | undefined {
    const end = this.#buffered.indexOf('\r\n');
    if (end === -1) {
      if (this.#buffered.length > MAX_HEAD_BYTES) throw new MalformedResponseError('line too long');
      return undefined;
    }
    const line = this.#buffered.toString('latin1', 0, end);
    this.#buffered = this.#buffered.subarray(end + 2);
    return line;
  }

  #consumeBody(bytes: number): void {
    if (bytes === 0) return;
    this.#body.push(this.#buffered.subarray(0, bytes));
    this.#buffered = this.#buffered.subarray(bytes);
  }
}
