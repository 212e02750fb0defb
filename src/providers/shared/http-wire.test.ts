import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedResponseError, requestBytes, ResponseReader, type WireResponse } from './http-wire.js';

/** Feeds `text` to a reader in the given piece sizes; the response, or undefined while incomplete. */
function read(text: string, pieces: readonly number[] = [text.length], head = false): { response?: WireResponse; reader: ResponseReader } {
  const reader = new ResponseReader(head);
  const bytes = Buffer.from(text, 'latin1');
  let at = 0;
  for (const size of [...pieces, bytes.length]) {
    if (at >= bytes.length) break;
    const response = reader.push(bytes.subarray(at, at + Math.max(1, size)));
    at += Math.max(1, size);
    if (response !== undefined) return { response, reader };
  }
  return { reader };
}

describe('requestBytes', () => {
  it('writes the request line, host with its port, the headers, and a body with its length', () => {
    const bytes = requestBytes(new URL('http://127.0.0.1:8080/api/v1/Read?x=1'), 'POST', { 'Content-Type': 'application/json' }, Buffer.from('{"é":1}'));
    expect(bytes.toString('utf8')).toBe(
      'POST /api/v1/Read?x=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nContent-Type: application/json\r\ncontent-length: 8\r\nconnection: keep-alive\r\n\r\n{"é":1}',
    );
    expect(requestBytes(new URL('https://api.example.test/'), 'GET', {}, undefined).toString()).toBe(
      'GET / HTTP/1.1\r\nhost: api.example.test\r\nconnection: keep-alive\r\n\r\n',
    );
  });

  it('refuses a header value with a line break or NUL, and a bad name or method, as node:http does', () => {
    const url = new URL('http://127.0.0.1/');
    expect(() => requestBytes(url, 'GET', { 'x-a': 'b\r\nx-injected: 1' }, undefined)).toThrow(TypeError);
    expect(() => requestBytes(url, 'GET', { 'x a': 'b' }, undefined)).toThrow(TypeError);
    expect(() => requestBytes(url, 'GET /x HTTP/1.1\r\n', {}, undefined)).toThrow(TypeError);
  });
});

describe('ResponseReader', () => {
  const fixed = 'HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello';

  it('reads a content-length body in any split of its bytes, joining repeated headers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 40 }), (pieces) => {
        const { response } = read(fixed, pieces);
        expect(response?.status).toBe(201);
        expect(response?.headers.get('x-a')).toBe('1, 2');
        expect(response?.body.toString()).toBe('hello');
        expect(response?.keepAlive).toBe(true);
      }),
    );
  });

  it('reads a chunked body with extensions and trailers, in any split', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{"a"\r\n3\r\n:1}\r\n0\r\nX-Trailer: t\r\n\r\n';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }), (pieces) => {
        expect(read(chunked, pieces).response?.body.toString()).toBe('{"a":1}');
      }),
    );
  });

  it('skips 100 Continue, and gives HEAD, 204 and 304 answers no body', () => {
    expect(read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').response?.body.toString()).toBe('ok');
    expect(read('HTTP/1.1 204 No Content\r\n\r\n').response?.status).toBe(204);
    expect(read('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n').response?.body.length).toBe(0);
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', undefined, true).response?.body.length).toBe(0);
  });

  it('reads a body without framing to the end of the connection, which is then not reused', () => {
    const { response, reader } = read('HTTP/1.1 200 OK\r\n\r\npart one, ');
    expect(response).toBeUndefined();
    reader.push(Buffer.from('part two'));
    const whole = reader.end();
    expect([whole.body.toString(), whole.keepAlive]).toEqual(['part one, part two', false]);
  });

  it('tells whether the server keeps the connection: HTTP/1.1 unless close, HTTP/1.0 only with keep-alive', () => {
    expect(read('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').response?.keepAlive).toBe(false);
    expect(read('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').response?.keepAlive).toBe(false);
    expect(read('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n').response?.keepAlive).toBe(true);
  });

  it('counts bytes past the end of the response, so that connection is not reused', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA').reader.leftover).toBe(5);
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').reader.leftover).toBe(0);
  });

  it('refuses what is not an HTTP/1.x response, and a connection that ends mid-answer', () => {
    expect(() => read('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(MalformedResponseError);
    expect(() => read('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n')).toThrow(MalformedResponseError);
    expect(() => read('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toThrow(MalformedResponseError);
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(MalformedResponseError);
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n')).toThrow(MalformedResponseError);
    const { reader } = read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(reader.started).toBe(true);
    expect(() => reader.end()).toThrow(/in the middle of the response/);
    expect(() => new ResponseReader().end()).toThrow(/closed before a response/);
  });
});
