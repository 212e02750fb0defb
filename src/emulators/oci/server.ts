/**
 * The OCI side of the emulator's HTTP server (the skeleton is shared/http-server): applies
 * injected faults, routes, authenticates, runs the operation and turns its reply or error
 * into an OCI answer with an `opc-request-id`. Every request is logged by method, raw path
 * and status; bodies and headers never are, so no key material or signature reaches the log.
 */
import type { IncomingMessage } from 'node:http';
import { emulatorBug, FaultInjector, seededRandom, startHttpEmulator, type HttpAnswer, type HttpEmulatorServer } from '../shared/index.js';
import { injectedFault, OciHttpError } from './errors.js';
import { isBdsPath, matchBdsRoute, serveBds } from './bds/index.js';
import { deleteApiKey, listApiKeys, uploadApiKey, type OperationContext, type Reply } from './handlers.js';
import { mintRequestId } from './ids.js';
import { matchRoute } from './routes.js';
import { authenticate, type SignedRequest } from './signature.js';
import type { TokenIssuer } from './session-tokens.js';
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

/** What the server works with. */
export interface ServerDeps {
  readonly store: KeyStore;
  readonly options: ResolvedOptions;
  readonly log: RequestLogEntry[];
  /** Issuer of the session tokens the emulator accepts. */
  readonly tokens: TokenIssuer;
}

/** Per-server state that outlives a request: the fault sequences. */
interface Runtime {
  readonly faults: FaultInjector<OciHttpError>;
  /** Decides which BDS work requests `bds.failWorkRequests` fails. */
  readonly bdsRandom: () => number;
}

async function serve(deps: ServerDeps, runtime: Runtime, request: SignedRequest): Promise<Reply> {
  const injected = runtime.faults.next();
  if (injected !== undefined) throw injected;
  // Identity and BDS share this server: the SDK appends its own API version to one endpoint.
  const target = isBdsPath(request.rawUrl) ? { bds: matchBdsRoute(request.method, request.rawUrl) } : { identity: matchRoute(request.method, request.rawUrl) };
  // Another process sharing the data folder may have changed the store since our last look.
  deps.store.sync();
  const now = Date.now();
  const caller = authenticate(request, deps.store, { clockSkewMs: deps.options.clockSkewMs, now, tokens: deps.tokens });
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
  const e = err instanceof OciHttpError ? err : new OciHttpError(500, 'InternalServerError', 'Internal error occurred.', emulatorBug(err));
  return { reply: { status: e.status, body: JSON.stringify({ code: e.code, message: e.message }) }, code: e.code, detail: e.detail };
}

async function answer(deps: ServerDeps, runtime: Runtime, req: IncomingMessage, body: Buffer | undefined): Promise<HttpAnswer<RequestLogEntry>> {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const clientId = req.headers['opc-request-id'];
  const requestId = mintRequestId(Array.isArray(clientId) ? clientId[0] : clientId);

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
  return {
    status: reply.status,
    headers: { ...reply.headers, 'opc-request-id': requestId, ...(reply.etag === undefined ? {} : { etag: reply.etag }) },
    body: reply.body,
    entry: {
      method,
      path: rawUrl,
      status: reply.status,
      ...(outcome.code === undefined ? {} : { code: outcome.code }),
      ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    },
  };
}

/** Starts the HTTP server of the Identity and BDS API key routes on 127.0.0.1. */
export function startEmulatorServer(deps: ServerDeps): Promise<HttpEmulatorServer> {
  const { seed, failRate, port, latencyMs } = deps.options;
  const runtime: Runtime = {
    faults: new FaultInjector(failRate, seed, injectedFault),
    // Its own sequence, so enabling BDS faults does not change which requests get a 429/500.
    bdsRandom: seed === undefined ? Math.random : seededRandom(seed ^ 0x5bd1e995),
  };
  return startHttpEmulator({ port, latencyMs, log: deps.log, answer: (req, body) => answer(deps, runtime, req, body) });
}
