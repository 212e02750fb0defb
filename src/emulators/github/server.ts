/**
 * The GitHub side of the emulator's HTTP server (the skeleton is shared/http-server):
 * checks the API version header, parses the JSON body, applies injected faults (random
 * ones and the pending PUT failures), routes, runs the operation and answers JSON with
 * GitHub's response headers. Requests are logged by method, path and status only:
 * headers carry the token and bodies the sealed secret.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { emulatorBug, FaultInjector, startHttpEmulator, type HttpAnswer, type HttpEmulatorServer, type LoggedRequest } from '../shared/index.js';
import { GithubHttpError, injectedFault, injectedStatus } from './errors.js';
import { deleteSecret, getSecret, listSecrets, publicKey, putSecret, type OperationContext, type Reply } from './handlers.js';
import type { ResolvedGithubOptions } from './options.js';
import { matchRoute, type Route } from './routes.js';
import type { GithubStore } from './store.js';

/** One served request, as tests and `sandbox serve` may inspect it. */
export interface GithubRequestLogEntry extends LoggedRequest {
  /** The operation, when the path matched one. */
  readonly op?: Route['op'];
}

/** What the server works with. */
export interface GithubServerDeps {
  readonly store: GithubStore;
  readonly options: ResolvedGithubOptions;
  readonly log: GithubRequestLogEntry[];
  /** Filled in once the server listens, for links in bodies. */
  baseUrl: string;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new GithubHttpError(400, 'Problems parsing JSON', { detail: 'the request body is not valid JSON' });
  }
}

/** The API version a request asks for; GitHub answers 400 to one it does not serve. */
function apiVersion(req: IncomingMessage, served: readonly string[]): string {
  const asked = req.headers['x-github-api-version'];
  if (asked === undefined) return served[0] ?? '';
  const version = Array.isArray(asked) ? asked.join(',') : asked;
  if (!served.includes(version)) {
    throw new GithubHttpError(400, `Unsupported 'X-GitHub-Api-Version' header. Supported versions are: ${served.join(', ')}`, {
      detail: `unsupported API version ${version}`,
    });
  }
  return version;
}

/** Takes one pending injected PUT failure, if any (through the store, so other processes' settings count). */
function takePutFailure(deps: GithubServerDeps, route: Route): GithubHttpError | undefined {
  const pending = deps.store.putFailure;
  if (pending === undefined) return undefined;
  deps.store.putFailure = { status: pending.status, count: pending.count - 1 };
  deps.store.commit();
  return injectedStatus(pending.status, route.docs, deps.options.forbiddenMessage);
}

function serve(deps: GithubServerDeps, req: IncomingMessage, body: Buffer, route: Route): Reply {
  // Another process sharing the data folder may have changed the store since our last look.
  deps.store.sync();
  if (route.op === 'put') {
    const injected = takePutFailure(deps, route);
    if (injected !== undefined) throw injected;
  }
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const ctx: OperationContext = {
    store: deps.store,
    options: deps.options,
    headers: req.headers,
    body: parseJson(body),
    now: deps.options.now(),
    baseUrl: deps.baseUrl,
  };
  switch (route.op) {
    case 'publicKey':
      return publicKey(ctx, route);
    case 'list':
      return listSecrets(ctx, route, url.searchParams);
    case 'get':
      return getSecret(ctx, route);
    case 'put':
      return putSecret(ctx, route);
    case 'delete':
      return deleteSecret(ctx, route);
  }
}

function answer(
  deps: GithubServerDeps,
  faults: FaultInjector<GithubHttpError>,
  req: IncomingMessage,
  body: Buffer | undefined,
): HttpAnswer<GithubRequestLogEntry> {
  let reply: Reply;
  let detail: string | undefined;
  let route: Route | undefined;
  let version = deps.options.apiVersions[0] ?? '';
  try {
    version = apiVersion(req, deps.options.apiVersions);
    if (body === undefined) throw new GithubHttpError(413, 'Payload Too Large', { detail: 'the request body is too large' });
    route = matchRoute(req.method ?? 'GET', req.url ?? '/');
    const injected = faults.next();
    if (injected !== undefined) throw injected;
    reply = serve(deps, req, body, route);
  } catch (err) {
    const e = err instanceof GithubHttpError ? err : new GithubHttpError(500, 'Server Error', { detail: emulatorBug(err) });
    reply = { status: e.status, body: e.body() };
    detail = e.detail;
  }
  return {
    status: reply.status,
    headers: { 'x-github-api-version-selected': version, 'x-github-request-id': randomBytes(8).toString('hex').toUpperCase() },
    body: reply.body === undefined ? undefined : JSON.stringify(reply.body),
    entry: {
      method: req.method ?? '',
      path: req.url ?? '',
      status: reply.status,
      ...(route === undefined ? {} : { op: route.op }),
      ...(detail === undefined ? {} : { detail }),
    },
  };
}

/** Starts the HTTP server of the Actions secrets routes on 127.0.0.1. */
export async function startGithubServer(deps: GithubServerDeps): Promise<HttpEmulatorServer> {
  const faults = new FaultInjector(deps.options.failRate, deps.options.seed, injectedFault);
  const { port, latencyMs } = deps.options;
  const server = await startHttpEmulator({ port, latencyMs, log: deps.log, answer: (req, body) => answer(deps, faults, req, body) });
  deps.baseUrl = server.url;
  return server;
}
