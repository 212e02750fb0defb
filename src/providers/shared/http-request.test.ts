/**
 * The clients read the transport's failures as they read fetch's: what reaches the user
 * (messages naming ECONNREFUSED or a timeout, retries of refused calls) depends on it.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { errorCode, fetchFailureCause } from './fetch-failure.js';
import { sendRequest } from './http-request.js';

async function server(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  onTestFinished(() => new Promise<void>((done) => s.close(() => done())).then(() => s.closeAllConnections()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const GET = { method: 'GET', headers: {}, timeoutMs: 5000 } as const;

describe('sendRequest', () => {
  it('sends the body and headers and returns status, headers and text', async () => {
    const url = await server((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(201, { 'retry-after': '3' }).end(`\ufeff${req.method} ${req.headers['x-a']} ${body}`));
    });
    const answer = await sendRequest(`${url}/x`, { method: 'POST', headers: { 'x-a': 'b' }, body: '{"é":1}', timeoutMs: 5000 });
    expect([answer.status, answer.ok, answer.header('Retry-After'), answer.text]).toEqual([201, true, '3', 'POST b {"é":1}']);
  });

  it('fails a refused connection as fetch does: TypeError with the socket error as cause', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const free = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const error = await sendRequest(`http://127.0.0.1:${free}/`, GET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(errorCode(fetchFailureCause(error))).toBe('ECONNREFUSED');
  });

  it('times out with a TimeoutError and stops at the caller’s abort with its reason', async () => {
    const url = await server(() => undefined);
    const timedOut = await sendRequest(url, { ...GET, timeoutMs: 50 }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('TimeoutError');
    const controller = new AbortController();
    const pending = sendRequest(url, { ...GET, signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(new Error('interrupted'));
    expect(((await pending) as Error).message).toBe('interrupted');
  });

  it('follows redirects, dropping credentials on another origin, or refuses them', async () => {
    const other = await server((req, res) => res.end(`apikey=${req.headers.apikey ?? 'none'} ${req.method}`));
    const url = await server((req, res) => {
      if (req.url === '/here') return void res.end(`apikey=${req.headers.apikey ?? 'none'} ${req.method}`);
      res.writeHead(req.url === '/away' ? 302 : 307, { location: req.url === '/away' ? `${other}/` : '/here' }).end();
    });
    const headers = { apikey: 't' };
    expect((await sendRequest(`${url}/same`, { method: 'POST', headers, body: '{}', timeoutMs: 5000 })).text).toBe('apikey=t POST');
    expect((await sendRequest(`${url}/away`, { method: 'POST', headers, body: '{}', timeoutMs: 5000 })).text).toBe('apikey=none GET');
    const refused = await sendRequest(`${url}/same`, { ...GET, headers, redirect: 'error' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
  });

  it('speaks TLS to an https origin and refuses a certificate nobody vouches for', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-tls-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], {
      stdio: 'ignore',
    });
    let served = 0;
    const s = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end(String(++served)));
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
    onTestFinished(() => new Promise<void>((done) => s.close(() => done())).then(() => s.closeAllConnections()));
    const error: unknown = await sendRequest(`https://localhost:${(s.address() as AddressInfo).port}/`, GET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(errorCode(fetchFailureCause(error))).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(served).toBe(0);
  });

  it('decodes a gzip-compressed answer', async () => {
    const url = await server((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"ok":true}')));
    expect((await sendRequest(url, GET)).text).toBe('{"ok":true}');
  });

  it('reuses a kept-alive connection, and opens a new one after the server closes its own', async () => {
    const ports: number[] = [];
    const url = await server((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      if (req.url === '/close') res.setHeader('connection', 'close');
      res.end('ok');
    });
    for (const path of ['/a', '/b', '/close', '/c']) expect((await sendRequest(`${url}${path}`, GET)).text).toBe('ok');
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).toBe(ports[0]);
    expect(ports[3]).not.toBe(ports[2]);
  });

  it("does not reuse a connection idle for longer than the server's Keep-Alive timeout allows", async () => {
    const ports: number[] = [];
    // timeout=1: the client keeps it 500 ms, under the server's second.
    const url = await server((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      res.setHeader('keep-alive', 'timeout=1');
      res.end('ok');
    });
    await sendRequest(`${url}/a`, GET);
    await sendRequest(`${url}/b`, GET);
    await new Promise((done) => setTimeout(done, 700));
    await sendRequest(`${url}/c`, GET);
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).not.toBe(ports[1]);
  });

  it('reads a chunked answer from a real server and sends no body on GET', async () => {
    const url = await server((req, res) => {
      res.write(`${req.method} ${req.headers['content-length'] ?? 'none'} `);
      setTimeout(() => res.end('done'), 5);
    });
    expect((await sendRequest(url, GET)).text).toBe('GET none done');
  });

  it('runs 50 calls in flight on one signal without a listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): number => warnings.push(w);
    process.on('warning', onWarning);
    onTestFinished(() => void process.off('warning', onWarning));
    const url = await server((_req, res) => setTimeout(() => res.end('ok'), 20));
    const controller = new AbortController();
    const texts = await Promise.all(Array.from({ length: 50 }, () => sendRequest(url, { ...GET, signal: controller.signal }).then((a) => a.text)));
    expect(texts.every((t) => t === 'ok')).toBe(true);
    await new Promise((done) => setImmediate(done));
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('fails a malformed answer as fetch does', async () => {
    const raw = net.createServer((socket) => socket.end('NOT HTTP AT ALL\r\n\r\n'));
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    onTestFinished(() => void raw.close());
    const error = await sendRequest(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/`, GET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
  });
});
