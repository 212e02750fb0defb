/**
 * The Heimdall side of the emulator's HTTP server (the skeleton is shared/http-server):
 * parses the JSON body, applies injected faults, routes, runs the operation and answers
 * JSON. Every request is logged by method, path and status only: headers and bodies carry
 * tokens, so they are never logged.
 */
import type { IncomingMessage } from 'node:http';
import { emulatorBug, FaultInjector, startHttpEmulator, type HttpAnswer, type HttpEmulatorServer } from '../shared/index.js';
import { HeimdallHttpError, injectedFault } from './errors.js';
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

/** What the server works with. */
export interface DataosServerDeps {
  readonly store: TokenStore;
  readonly options: ResolvedDataosOptions;
  readonly log: DataosRequestLogEntry[];
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HeimdallHttpError(400, 'the request body is not valid JSON');
  }
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

function answer(
  deps: DataosServerDeps,
  faults: FaultInjector<HeimdallHttpError>,
  req: IncomingMessage,
  body: Buffer | undefined,
): HttpAnswer<DataosRequestLogEntry> {
  let reply: Reply;
  let detail: string | undefined;
  try {
    if (body === undefined) throw new HeimdallHttpError(413, 'the request body is too large');
    const injected = faults.next();
    if (injected !== undefined) throw injected;
    reply = serve(deps, req, body);
  } catch (err) {
    const e = err instanceof HeimdallHttpError ? err : new HeimdallHttpError(500, 'internal server error', emulatorBug(err));
    reply = { status: e.status, body: { status: e.status, message: e.message } };
    detail = e.detail;
  }
  const auth = req.headers['apikey'] !== undefined ? 'apikey' : /^bearer\s/i.test(req.headers['authorization'] ?? '') ? 'bearer' : undefined;
  return {
    status: reply.status,
    headers: {},
    body: reply.body === undefined ? undefined : JSON.stringify(reply.body),
    entry: {
      method: req.method ?? '',
      path: req.url ?? '',
      status: reply.status,
      ...(auth === undefined ? {} : { auth }),
      ...(detail === undefined ? {} : { detail }),
    },
  };
}

/** Starts the HTTP server of the Heimdall routes on 127.0.0.1. */
export function startDataosServer(deps: DataosServerDeps): Promise<HttpEmulatorServer> {
  const faults = new FaultInjector(deps.options.failRate, deps.options.seed, injectedFault);
  const { port, latencyMs } = deps.options;
  return startHttpEmulator({ port, latencyMs, log: deps.log, answer: (req, body) => answer(deps, faults, req, body) });
}
