/**
 * The HTTP front of the emulator: every call is `POST /api/v1/{Action}` (or
 * `/api/latest/{Action}`, which osc-cli uses) with a JSON body. The server applies latency,
 * injected faults and the limiters, authenticates from the raw bytes, runs the call and
 * answers JSON with `ResponseContext.RequestId`. The request log keeps method, path,
 * action, status and error code only: never bodies, headers or secrets.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { delay } from '../oci/faults.js';
import { authenticate, type Lockout } from './auth.js';
import { errorBody, invalidParameter, methodNotAllowed, OscApiError } from './errors.js';
import { ACTIONS } from './handlers.js';
import { mintRequestId } from './ids.js';
import type { ResolvedOptions } from './options.js';
import { parseParams } from './params.js';
import type { AccessKeyStore } from './store.js';
import { FaultInjector, RateLimiters } from './throttle.js';

/** One served request, as tests and `sandbox serve` may inspect it. */
export interface RequestLogEntry {
  readonly method: string;
  /** Raw request target as sent. */
  readonly path: string;
  readonly action?: string;
  readonly status: number;
  /** OUTSCALE error `Code` of an error answer. */
  readonly code?: string;
  /** Why the emulator refused (e.g. which signature check failed); never sent to the client. */
  readonly detail?: string;
}

/** Oldest entries are dropped beyond this, so a long-running sandbox does not grow without end. */
export const REQUEST_LOG_LIMIT = 10_000;

// Access-key calls carry a few hundred bytes; anything far larger is not one.
const MAX_BODY_BYTES = 64 * 1024;
const ACTION_PATH = /^\/api\/(?:v1|latest)\/([A-Za-z0-9]+)$/;

/** What the server works with. */
export interface ServerDeps {
  readonly store: AccessKeyStore;
  readonly options: ResolvedOptions;
  readonly lockout: Lockout;
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

interface Served {
  readonly action?: string;
  readonly status: number;
  readonly body: Record<string, unknown> | OscApiError;
}

function serve(deps: ServerDeps, faults: FaultInjector, limiters: RateLimiters, req: IncomingMessage, body: Buffer | undefined): Served {
  const { options, store } = deps;
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const path = rawUrl.split('?')[0] ?? '';
  const action = ACTION_PATH.exec(path)?.[1];
  const handler = action === undefined ? undefined : ACTIONS.get(action);
  try {
    if (method !== 'POST') throw methodNotAllowed(method);
    const injected = faults.next();
    if (injected !== undefined) throw injected;
    limiters.platform(options.now());
    if (handler === undefined || action === undefined) {
      throw new OscApiError(options.errors.unknownAction, `The action '${action ?? path}' is not valid for this web service.`);
    }
    if (body === undefined) throw invalidParameter('The request body is too large.');
    // Another process sharing the data folder may have changed the store since our last look.
    store.sync();
    const caller = authenticate({ method, rawUrl, headers: req.headers, body }, action, store, options, deps.lockout);
    limiters.account(store.account.accountId, action, options.now());
    const result = handler({ store, options, caller, params: parseParams(body), now: options.now() });
    return { action, status: 200, body: result };
  } catch (err) {
    const e =
      err instanceof OscApiError
        ? err
        : new OscApiError(options.errors.internalError, '', `emulator bug: ${err instanceof Error ? err.message : String(err)}`);
    return { ...(action === undefined ? {} : { action }), status: e.status, body: e };
  }
}

/** An HTTP server of the OUTSCALE access-key API (not yet listening). */
export function createEmulatorServer(deps: ServerDeps): Server {
  const faults = new FaultInjector(deps.options.failRate, deps.options.seed, deps.options.errors.internalError);
  const limiters = new RateLimiters(deps.options.throttle);
  return createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      await delay(deps.options.latencyMs);
      const served = serve(deps, faults, limiters, req, body);
      const requestId = mintRequestId();
      const text =
        served.body instanceof OscApiError
          ? errorBody(served.body, requestId)
          : JSON.stringify({ ...served.body, ResponseContext: { RequestId: requestId } });
      res.writeHead(served.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
      const err = served.body instanceof OscApiError ? served.body : undefined;
      deps.log.push({
        method: req.method ?? '',
        path: req.url ?? '',
        ...(served.action === undefined ? {} : { action: served.action }),
        status: served.status,
        ...(err === undefined ? {} : { code: err.code }),
        ...(err?.logDetail === undefined ? {} : { detail: err.logDetail }),
      });
      if (deps.log.length > REQUEST_LOG_LIMIT) deps.log.splice(0, deps.log.length - REQUEST_LOG_LIMIT);
    })().catch((err: unknown) => {
      // Only a broken socket gets here; the reply cannot be sent any more.
      if (!res.headersSent) res.writeHead(500).end();
      deps.log.push({ method: req.method ?? '', path: req.url ?? '', status: 500, detail: `socket error: ${String(err)}` });
    });
  });
}
