/**
 * The HTTP skeleton every emulator runs on: listen on 127.0.0.1, read the body (bounded),
 * let the emulator answer, send the JSON reply once the configured latency has passed since
 * the request arrived, append the
 * answer's entry to the request log (bounded) and close without waiting for keep-alive
 * connections. What a request means (routing, auth, faults, error bodies, request ids)
 * is each emulator's `answer`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay } from './faults.js';

/**
 * What every request log entry holds. Each emulator's entry type adds only optional
 * fields, so a bare one (a request whose socket broke) is a valid entry of every log.
 */
export interface LoggedRequest {
  readonly method: string;
  /** Raw request target as sent. */
  readonly path: string;
  readonly status: number;
  /** Why the emulator refused or failed; never sent to the client. */
  readonly detail?: string;
}

/** Oldest entries are dropped beyond this, so a long-running sandbox does not grow without end. */
export const REQUEST_LOG_LIMIT = 10_000;

// API key calls carry at most a few KiB; anything far larger is not one of them.
const MAX_BODY_BYTES = 64 * 1024;

/** One reply, and the log entry that records it. */
export interface HttpAnswer<E extends LoggedRequest> {
  readonly status: number;
  /** Headers before the JSON content headers, which the server adds when there is a body. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or undefined for an empty reply. */
  readonly body?: string;
  readonly entry: E;
}

/** How an emulator plugs into the shared server. */
export interface HttpEmulatorSpec<E extends LoggedRequest> {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Time from a request's arrival to its answer, in ms (at least the time the answer takes to make). */
  readonly latencyMs: number;
  /** The emulator's request log (of E entries); the server appends to it and trims it. */
  readonly log: LoggedRequest[];
  /** Serves one request; `body` is undefined when it was too large to buffer. */
  answer(req: IncomingMessage, body: Buffer | undefined): HttpAnswer<E> | Promise<HttpAnswer<E>>;
}

/** A listening emulator server. */
export interface HttpEmulatorServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** `emulator bug: …`, the log detail of an error no handler meant to throw. */
export function emulatorBug(err: unknown): string {
  return `emulator bug: ${err instanceof Error ? err.message : String(err)}`;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining so the connection stays usable, but stop buffering.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function record(log: LoggedRequest[], entry: LoggedRequest): void {
  log.push(entry);
  if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
}

/** Starts the server on 127.0.0.1 and resolves once it listens. */
export async function startHttpEmulator<E extends LoggedRequest>(spec: HttpEmulatorSpec<E>): Promise<HttpEmulatorServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      // The answer is made at once and held until the latency has passed. Made after the
      // wait instead, every answer due in one timer tick was made back to back on this one
      // thread, and the last waited for all the others: with 16 calls in flight at 20 ms,
      // a round took 30-35 ms, where a real API, answering in parallel, takes 20.
      const due = performance.now() + spec.latencyMs;
      const answer = await spec.answer(req, body);
      await delay(due - performance.now());
      const headers: Record<string, string> = { ...answer.headers };
      if (answer.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(answer.body));
      }
      res.writeHead(answer.status, headers);
      res.end(answer.body);
      record(spec.log, answer.entry);
    })().catch((err: unknown) => {
      // Only a broken socket gets here; the reply cannot be sent any more.
      if (!res.headersSent) res.writeHead(500).end();
      record(spec.log, { method: req.method ?? '', path: req.url ?? '', status: 500, detail: `socket error: ${String(err)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients (the OCI SDK, fetch) keep connections alive; without this, close() waits for them to idle out.
        server.closeAllConnections();
      }),
  };
}
