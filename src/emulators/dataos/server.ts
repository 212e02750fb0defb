/**
 * The HTTP front of the Heimdall emulator: reads the JSON body, applies latency and
 * injected faults, routes, runs the operation and writes a JSON reply. Every request is
 * logged by method, path and status only: headers and bodies carry tokens, so they are
 * never logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { delay, seededRandom } from '../oci/faults.js';
import { HeimdallHttpError } from './errors.js';
import { authorize, createToken, deleteToken, getUser, listTokens, listUsers, type OperationContext, type Reply } from './handlers.js';
import type { ResolvedDataosOptions } from './options.js';
import { matchRoute } from './routes.js';
import type { TokenStore } from './store.js';

/** One served request, as tests and `sandbox serve` may inspect it. */
export interface DataosRequestLogEntry {
  readonly method: string;
  /** Request path and query (user ids and token names; never a token). */
  readonly path: string;
  readonly status: number;
  /** Which header carried the caller's token, when one did (never the token itself). */
  readonly auth?: 'apikey' | 'bearer';
  /** Why the emulator refused; never sent to the client. */
  readonly detail?: string;
}

/** Oldest entries are dropped beyond this, so a long-running sandbox does not grow without end. */
export const DATAOS_REQUEST_LOG_LIMIT = 10_000;

const MAX_BODY_BYTES = 64 * 1024;

/** What the server works with. */
export interface DataosServerDeps {
  readonly store: TokenStore;
  readonly options: ResolvedDataosOptions;
  readonly log: DataosRequestLogEntry[];
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HeimdallHttpError(400, 'the request body is not valid JSON');
  }
}

/** Picks, per request, whether to answer an injected 429 or 500 instead. */
function faultInjector(rate: number, seed: number | undefined): () => HeimdallHttpError | undefined {
  const random = seed === undefined ? Math.random : seededRandom(seed);
  return () => {
    if (rate <= 0) return undefined;
    // Draw both numbers every time so the sequence depends only on the request count.
    const hit = random() < rate;
    const throttle = random() < 0.5;
    if (!hit) return undefined;
    return throttle
      ? new HeimdallHttpError(429, 'too many requests', 'injected fault')
      : new HeimdallHttpError(500, 'internal server error', 'injected fault');
  };
}

function serve(deps: DataosServerDeps, req: IncomingMessage, body: Buffer): Reply {
  const route = matchRoute(req.method ?? 'GET', req.url ?? '/', deps.options.deleteRoute);
  // Another process sharing the data folder may have changed the store since our last look.
  deps.store.sync();
  const ctx: OperationContext = { store: deps.store, options: deps.options, headers: req.headers, body: parseJson(body), now: deps.options.now() };
  switch (route.op) {
    case 'authorize':
      return authorize(ctx);
    case 'listUsers':
      return listUsers(ctx);
    case 'getUser':
      return getUser(ctx, route.userId);
    case 'listTokens':
      return listTokens(ctx, route.userId);
    case 'createToken':
      return createToken(ctx, route.userId);
    case 'deleteToken':
      return deleteToken(ctx, route.userId, route.name);
  }
}

async function handle(deps: DataosServerDeps, nextFault: () => HeimdallHttpError | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  await delay(deps.options.latencyMs);
  let reply: Reply;
  let detail: string | undefined;
  try {
    if (body === undefined) throw new HeimdallHttpError(413, 'the request body is too large');
    const injected = nextFault();
    if (injected !== undefined) throw injected;
    reply = serve(deps, req, body);
  } catch (err) {
    const e = err instanceof HeimdallHttpError ? err : new HeimdallHttpError(500, 'internal server error', `emulator bug: ${err instanceof Error ? err.message : String(err)}`);
    reply = { status: e.status, body: { status: e.status, message: e.message } };
    detail = e.detail;
  }
  const text = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  res.writeHead(reply.status, headers);
  res.end(text);
  const auth = req.headers['apikey'] !== undefined ? 'apikey' : /^bearer\s/i.test(req.headers['authorization'] ?? '') ? 'bearer' : undefined;
  deps.log.push({ method: req.method ?? '', path: req.url ?? '', status: reply.status, ...(auth === undefined ? {} : { auth }), ...(detail === undefined ? {} : { detail }) });
  if (deps.log.length > DATAOS_REQUEST_LOG_LIMIT) deps.log.splice(0, deps.log.length - DATAOS_REQUEST_LOG_LIMIT);
}

/** An HTTP server of the Heimdall routes (not yet listening). */
export function createDataosServer(deps: DataosServerDeps): Server {
  const nextFault = faultInjector(deps.options.failRate, deps.options.seed);
  return createServer((req, res) => {
    handle(deps, nextFault, req, res).catch((err: unknown) => {
      // Only a broken socket gets here; the reply cannot be sent any more.
      if (!res.headersSent) res.writeHead(500).end();
      deps.log.push({ method: req.method ?? '', path: req.url ?? '', status: 500, detail: `socket error: ${String(err)}` });
    });
  });
}
