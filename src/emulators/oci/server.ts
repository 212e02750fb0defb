/**
 * The HTTP front of the emulator: reads the body, applies latency and injected faults,
 * routes, authenticates, runs the operation and writes the reply with an `opc-request-id`.
 * Every request is logged by method, raw path and status; bodies and headers never are,
 * so no key material or signature reaches the log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OciHttpError } from './errors.js';
import { FaultInjector, delay, seededRandom } from './faults.js';
import { isBdsPath, matchBdsRoute, serveBds } from './bds/index.js';
import { deleteApiKey, listApiKeys, uploadApiKey, type OperationContext, type Reply } from './handlers.js';
import { mintRequestId } from './ids.js';
import { matchRoute } from './routes.js';
import { authenticate, type SignedRequest } from './signature.js';
import type { KeyStore } from './store.js';
import type { ResolvedOptions } from './options.js';

/** One served request, as tests and `sandbox serve` may inspect it. */
export interface RequestLogEntry {
  readonly method: string;
  /** Raw request target (path and query as sent). */
  readonly path: string;
  readonly status: number;
  /** OCI error code of an error answer. */
  readonly code?: string;
  /** Why the emulator refused (e.g. which signature check failed); never sent to the client. */
  readonly detail?: string;
}

/** Oldest entries are dropped beyond this, so a long-running sandbox does not grow without end. */
export const REQUEST_LOG_LIMIT = 10_000;

// Public keys are < 1 KiB; anything far larger is not an API key upload.
const MAX_BODY_BYTES = 64 * 1024;

/** What the server works with. */
export interface ServerDeps {
  readonly store: KeyStore;
  readonly options: ResolvedOptions;
  readonly log: RequestLogEntry[];
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

/** Per-server state that outlives a request: the fault sequences. */
interface Runtime {
  readonly faults: FaultInjector;
  /** Decides which BDS work requests `bds.failWorkRequests` fails. */
  readonly bdsRandom: () => number;
}

async function serve(deps: ServerDeps, runtime: Runtime, request: SignedRequest): Promise<Reply> {
  const injected = runtime.faults.next();
  if (injected !== undefined) throw injected;
  // Identity and BDS share this server: the SDK appends its own API version to one endpoint.
  const target = isBdsPath(request.rawUrl)
    ? { bds: matchBdsRoute(request.method, request.rawUrl) }
    : { identity: matchRoute(request.method, request.rawUrl) };
  // Another process sharing the data folder may have changed the store since our last look.
  deps.store.sync();
  const now = Date.now();
  const caller = authenticate(request, deps.store, { clockSkewMs: deps.options.clockSkewMs, now });
  const ctx: OperationContext = { store: deps.store, options: deps.options, caller, request, now };
  if (target.bds !== undefined) return serveBds({ ...ctx, random: runtime.bdsRandom }, target.bds);
  const route = target.identity;
  switch (route.op) {
    case 'ListApiKeys':
      return listApiKeys(ctx, route.userId);
    case 'UploadApiKey':
      return uploadApiKey(ctx, route.userId);
    case 'DeleteApiKey':
      return deleteApiKey(ctx, route.userId, route.fingerprint);
  }
}

function errorReply(err: unknown): { reply: Reply; code: string; detail: string | undefined } {
  const e =
    err instanceof OciHttpError
      ? err
      : new OciHttpError(500, 'InternalServerError', 'Internal error occurred.', `emulator bug: ${err instanceof Error ? err.message : String(err)}`);
  return { reply: { status: e.status, body: JSON.stringify({ code: e.code, message: e.message }) }, code: e.code, detail: e.detail };
}

async function handle(deps: ServerDeps, runtime: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const clientId = req.headers['opc-request-id'];
  const requestId = mintRequestId(Array.isArray(clientId) ? clientId[0] : clientId);
  const body = await readBody(req);
  await delay(deps.options.latencyMs);

  let outcome: { reply: Reply; code?: string; detail?: string | undefined };
  if (body === undefined) {
    outcome = errorReply(new OciHttpError(400, 'CannotParseRequest', 'The request body is too large.'));
  } else {
    try {
      outcome = { reply: await serve(deps, runtime, { method, rawUrl, headers: req.headers, body }) };
    } catch (err) {
      outcome = errorReply(err);
    }
  }

  const { reply } = outcome;
  const headers: Record<string, string> = { ...reply.headers, 'opc-request-id': requestId };
  if (reply.etag !== undefined) headers['etag'] = reply.etag;
  if (reply.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(reply.body));
  }
  res.writeHead(reply.status, headers);
  res.end(reply.body);

  deps.log.push({
    method,
    path: rawUrl,
    status: reply.status,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
  });
  if (deps.log.length > REQUEST_LOG_LIMIT) deps.log.splice(0, deps.log.length - REQUEST_LOG_LIMIT);
}

/** An HTTP server of the Identity and BDS API key routes (not yet listening). */
export function createEmulatorServer(deps: ServerDeps): Server {
  const { seed } = deps.options;
  const runtime: Runtime = {
    faults: new FaultInjector(deps.options.failRate, seed),
    // Its own sequence, so enabling BDS faults does not change which requests get a 429/500.
    bdsRandom: seed === undefined ? Math.random : seededRandom(seed ^ 0x5bd1e995),
  };
  return createServer((req, res) => {
    handle(deps, runtime, req, res).catch((err: unknown) => {
      // Only a broken socket gets here; the reply cannot be sent any more.
      if (!res.headersSent) res.writeHead(500).end();
      deps.log.push({ method: req.method ?? '', path: req.url ?? '', status: 500, detail: `socket error: ${String(err)}` });
    });
  });
}
