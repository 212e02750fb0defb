/**
 * OapiClient retries and error mapping, against a scripted HTTP server on loopback (the
 * emulator's fault injection is random; these cases need exact sequences).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ProviderError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import { thrown } from '../../../test/helpers/errors.js';
import { mayHaveExecuted, OapiClient } from './client.js';
import type { OutscaleConnection } from './credentials.js';
import { retryDelay } from './retry.js';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hangup';

interface Seen {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

async function scripted(replies: Reply[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      const reply = replies.shift() ?? { status: 500 };
      if (reply === 'hangup') return void req.socket.destroy();
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const conn = (url: string): OutscaleConnection => ({
  region: 'eu-west-2',
  baseUrl: `${url}/api/v1`,
  customEndpoint: true,
  auth: { method: 'signature', accessKey: 'AKIDEXAMPLE000000000', secretKey: new Secret('S'.repeat(40)), scheme: 'OSC4' },
  origin: 'test',
});

const oscError = (code: string, type: string, details = '') => ({
  Errors: [{ Type: type, Code: code, Details: details }],
  ResponseContext: { RequestId: 'rid-1' },
});
const ok = { status: 200, body: { AccessKeys: [], ResponseContext: { RequestId: 'rid-ok' } } };
const fast = { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 50 }, random: () => 0 };

describe('OapiClient', () => {
  it('POSTs signed JSON to {base}/{Action}', async () => {
    const { url, seen } = await scripted([ok]);
    const answer = await new OapiClient(conn(url), 'osc', fast).call('ReadAccessKeys', { UserName: 'u' });
    expect(answer).toEqual(ok.body);
    expect(seen[0]?.url).toBe('/api/v1/ReadAccessKeys');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ UserName: 'u' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers['authorization']).toMatch(
      /^OSC4-HMAC-SHA256 Credential=AKIDEXAMPLE000000000\/\d{8}\/eu-west-2\/api\/osc4_request, SignedHeaders=content-type;host;x-osc-date, Signature=[0-9a-f]{64}$/,
    );
    expect(seen[0]?.headers['x-osc-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('retries throttling and 5xx, then succeeds', async () => {
    const { url, seen } = await scripted([
      { status: 429, body: oscError('24', 'AccessDenied') },
      { status: 503, body: oscError('6', 'AccessDenied') },
      { status: 500, body: 'not json' },
      ok,
    ]);
    await new OapiClient(conn(url), 'osc', fast).call('ReadAccessKeys', {});
    expect(seen).toHaveLength(4);
    // Each attempt is signed afresh.
    expect(new Set(seen.map((s) => s.headers['authorization'])).size).toBeGreaterThan(0);
  });

  it('honours Retry-After, capped by maxDelayMs', async () => {
    const { url } = await scripted([{ status: 429, body: oscError('25', 'AccessDenied'), headers: { 'retry-after': '1' } }, ok]);
    const started = Date.now();
    await new OapiClient(conn(url), 'osc', { ...fast, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 300 } }).call('ReadAccessKeys', {});
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(280);
    expect(took).toBeLessThan(1000);
  });

  it('gives up after maxAttempts with the last error, its Code and RequestId', async () => {
    const { url, seen } = await scripted([503, 503, 503].map(() => ({ status: 503, body: oscError('6', 'AccessDenied', 'slow down') })));
    const error = await thrown(
      new OapiClient(conn(url), 'osc', { ...fast, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }).call('ReadAccessKeys', {}, { userName: 'bob' }),
    );
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ statusCode: 503, serviceCode: '6', requestId: 'rid-1', retryable: true, operation: 'ReadAccessKeys' });
    expect(error.message).toBe('outscale: ReadAccessKeys for user bob: 503 AccessDenied 6: slow down (RequestId rid-1)');
  });

  it('does not retry a 4xx', async () => {
    const { url, seen } = await scripted([{ status: 400, body: oscError('4047', 'InvalidParameterValue', 'bad date') }, ok]);
    const error = await thrown(new OapiClient(conn(url), 'osc', fast).call('UpdateAccessKey', {}));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ statusCode: 400, serviceCode: '4047', retryable: false });
    expect(error.message).toContain("for the caller's own keys: 400 InvalidParameterValue 4047: bad date");
  });

  it('retries a non-idempotent call only when the failure proves it did not run', async () => {
    const throttled = await scripted([{ status: 429, body: oscError('24', 'AccessDenied') }, ok]);
    await new OapiClient(conn(throttled.url), 'osc', fast).call('CreateAccessKey', {}, { idempotent: false });
    expect(throttled.seen).toHaveLength(2);
    const failed = await scripted([{ status: 502, body: '<html>bad gateway</html>' }, ok]);
    const error = await thrown(new OapiClient(conn(failed.url), 'osc', fast).call('CreateAccessKey', {}, { idempotent: false }));
    expect(failed.seen).toHaveLength(1);
    expect(mayHaveExecuted(error)).toBe(true);
    expect(error.message).toBe("outscale: CreateAccessKey for the caller's own keys: 502 (no OUTSCALE error body)");
    const hungUp = await scripted(['hangup', ok]);
    const lost = await thrown(new OapiClient(conn(hungUp.url), 'osc', fast).call('CreateAccessKey', {}, { idempotent: false }));
    expect(hungUp.seen).toHaveLength(1);
    expect(lost).toMatchObject({ retryable: true });
    expect(mayHaveExecuted(lost)).toBe(true);
  });

  it('treats a refused connection as not executed', async () => {
    // A port that was just free: nothing listens there (fetch refuses port 1 itself, as a "bad port").
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = `http://127.0.0.1:${port}`;
    const error = await thrown(
      new OapiClient(conn(closed), 'osc', { ...fast, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).call(
        'CreateAccessKey',
        {},
        { idempotent: false },
      ),
    );
    expect(error.message).toBe(`outscale: CreateAccessKey for the caller's own keys: no response from ${closed} (ECONNREFUSED)`);
    expect(mayHaveExecuted(error)).toBe(false);
  });

  it('never puts a secret-shaped value from an answer into a message', async () => {
    const echoed = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD';
    const { url } = await scripted([{ status: 400, body: oscError('4045', 'InvalidParameter', `SecretKey ${echoed} rejected\nline two`) }]);
    const error = await thrown(new OapiClient(conn(url), 'osc', fast).call('ReadAccessKeys', {}));
    expect(error.message).not.toContain(echoed);
    expect(error.message).toContain('SecretKey (redacted) rejected line two');
  });
});

describe('retryDelay', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
  it('doubles from the base with at most 1 s of jitter, capped', () => {
    expect(retryDelay(1, undefined, policy, 0, () => 0)).toBe(1000);
    expect(retryDelay(3, undefined, policy, 0, () => 0.5)).toBe(4500);
    expect(retryDelay(9, undefined, policy, 0, () => 0.99)).toBe(30_000);
  });
  it('follows Retry-After seconds or date, within the cap', () => {
    expect(retryDelay(1, '7', policy, 0, () => 0)).toBe(7000);
    expect(retryDelay(1, '600', policy, 0, () => 0)).toBe(30_000);
    expect(retryDelay(1, new Date(12_000).toUTCString(), policy, 2_000, () => 0)).toBe(10_000);
    expect(retryDelay(1, 'soon', policy, 0, () => 0)).toBe(1000);
  });
});
