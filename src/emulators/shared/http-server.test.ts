/** The shared HTTP skeleton: body limit, JSON headers, latency, request log, close. */
import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHttpEmulator, type HttpAnswer, type LoggedRequest } from './http-server.js';

interface Seen {
  readonly body: string | undefined;
}

async function echoServer(latencyMs = 0) {
  const log: LoggedRequest[] = [];
  const seen: Seen[] = [];
  const server = await startHttpEmulator({
    port: 0,
    latencyMs,
    log,
    answer(req, body): HttpAnswer<LoggedRequest> {
      seen.push({ body: body?.toString('utf8') });
      const empty = req.url === '/empty';
      return {
        status: empty ? 204 : 200,
        headers: { 'x-emulator': 'test' },
        ...(empty ? {} : { body: JSON.stringify({ size: body?.length ?? null }) }),
        entry: { method: req.method ?? '', path: req.url ?? '', status: empty ? 204 : 200, detail: 'served' },
      };
    },
  });
  onTestFinished(() => server.close());
  return { server, log, seen };
}

describe('startHttpEmulator', () => {
  it('listens on 127.0.0.1 and adds JSON headers after the answer’s own', async () => {
    const { server, log } = await echoServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/x?y=1`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"size":5}');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('content-length')).toBe('10');
    expect(res.headers.get('x-emulator')).toBe('test');
    expect(log).toEqual([{ method: 'POST', path: '/x?y=1', status: 200, detail: 'served' }]);
  });

  it('sends no content headers for an empty answer', async () => {
    const { server } = await echoServer();
    const res = await fetch(`${server.url}/empty`);
    expect(res.status).toBe(204);
    expect(res.headers.get('content-type')).toBeNull();
  });

  it('hands the answer no body beyond 64 KiB, and still answers', async () => {
    const { server, seen } = await echoServer();
    const res = await fetch(`${server.url}/big`, { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) });
    expect(await res.text()).toBe('{"size":null}');
    const small = await fetch(`${server.url}/small`, { method: 'POST', body: 'x'.repeat(64 * 1024) });
    expect(await small.text()).toBe(`{"size":${64 * 1024}}`);
    expect(seen.map((s) => s.body?.length)).toEqual([undefined, 64 * 1024]);
  });

  it('waits latencyMs before answering', async () => {
    const { server } = await echoServer(80);
    const t0 = performance.now();
    await (await fetch(`${server.url}/slow`)).text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
  });

  it('makes the answer on arrival and holds it for the latency, so slow answers do not queue behind each other', async () => {
    let made = 0;
    const server = await startHttpEmulator<LoggedRequest>({
      port: 0,
      latencyMs: 150,
      log: [],
      answer(req) {
        made++;
        // 40 ms of work on the emulator's one thread, as a big answer would take.
        const until = performance.now() + 40;
        while (performance.now() < until);
        return { status: 200, headers: {}, body: '{}', entry: { method: req.method ?? '', path: req.url ?? '', status: 200 } };
      },
    });
    onTestFinished(() => server.close());
    const sent = performance.now();
    const took = await Promise.all(
      [1, 2, 3].map(async (n) => {
        await (await fetch(`${server.url}/${n}`)).text();
        return performance.now() - sent;
      }),
    );
    // Made after the wait, the third answer would come at 150 + 3 × 40 ms.
    expect(Math.max(...took)).toBeLessThan(150 + 3 * 40);
    expect(Math.min(...took)).toBeGreaterThanOrEqual(145);
    expect(made).toBe(3);
  });

  it('close() drops open connections instead of waiting for them', async () => {
    const server = await startHttpEmulator<LoggedRequest>({
      port: 0,
      latencyMs: 0,
      log: [],
      // An answer still in the making keeps its connection busy.
      answer: () => new Promise(() => undefined),
    });
    const inFlight = new Promise<string>((resolve) => {
      const req = request(`${server.url}/`, () => resolve('answered'));
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t0 = performance.now();
    await server.close();
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await inFlight).toBe('ECONNRESET');
  });
});
