/**
 * src/emulators/oci/testing: helpers for tests that talk to the emulator. This file is a
 * deliberately independent, minimal OCI request signer plus a raw HTTP client, so tests
 * can send requests the SDK never would: a body changed after signing, an old date, a
 * header left out of the signature.
 */
import { createHash, createSign } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/** What to sign. */
export interface TestSignOptions {
  readonly method: string;
  /** Full URL; its path and query are signed exactly as written. */
  readonly url: string;
  readonly body?: string;
  /** `tenancy/user/fingerprint`. */
  readonly keyId: string;
  readonly privateKeyPem: string;
  /** Signed date. @default now */
  readonly date?: Date;
  /** Which date header carries it. @default 'x-date' */
  readonly dateHeader?: 'x-date' | 'date';
  /** Names to sign (as written into headers="…"); default: what OCI requires for the method. */
  readonly signedHeaders?: readonly string[];
  /** Extra headers sent (and signable). */
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/** A request ready to send. */
export interface TestRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The target as signed: path and query as written in the URL. */
function requestTarget(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/** Signs a request the way the TS SDK does (mixed-case body header names included). */
export function signTestRequest(opts: TestSignOptions): TestRequest {
  const url = new URL(opts.url);
  const dateHeader = opts.dateHeader ?? 'x-date';
  const headers: Record<string, string> = {
    host: url.host,
    [dateHeader]: (opts.date ?? new Date()).toUTCString(),
    ...opts.extraHeaders,
  };
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(opts.method);
  if (hasBody) {
    const body = opts.body ?? '';
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    headers['x-content-sha256'] = createHash('sha256').update(body).digest('base64');
  }
  const names = opts.signedHeaders ?? [dateHeader, '(request-target)', 'host', ...(hasBody ? ['Content-Type', 'Content-Length', 'x-content-sha256'] : [])];
  const lines = names.map((name) => {
    const lower = name.toLowerCase();
    if (lower === '(request-target)') return `(request-target): ${opts.method.toLowerCase()} ${requestTarget(url)}`;
    return `${lower}: ${headers[lower] ?? ''}`;
  });
  const signature = createSign('sha256').update(lines.join('\n')).sign(opts.privateKeyPem, 'base64');
  // Parameters in the Python SDK's order (version last), to exercise order-independent parsing.
  headers['authorization'] = `Signature algorithm="rsa-sha256",headers="${names.join(' ')}",keyId="${opts.keyId}",signature="${signature}",version="1"`;
  return { method: opts.method, url: opts.url, headers, ...(opts.body === undefined ? {} : { body: opts.body }) };
}

/** A response as tests inspect it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** Sends `req` with node:http, byte for byte (the body may differ from what was signed). */
export function sendTestRequest(req: TestRequest): Promise<TestResponse> {
  const url = new URL(req.url);
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: requestTarget(url), headers: req.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}
