/**
 * The Vault side of the emulator's HTTP server (the skeleton is shared/http-server).
 * Order of checks per request: body size, random faults, route (an unknown mount answers
 * 404; `sys/health` answers even when sealed), seal (503), token (`X-Vault-Token`, or
 * `Authorization: Bearer`), injected write failures, then the operation. Whether Vault
 * checks the token before the route for an unknown mount is a [guess]. Every request is
 * logged by method, path and status only: headers and bodies carry tokens and secrets,
 * so they are never logged.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { emulatorBug, FaultInjector, startHttpEmulator, type HttpAnswer, type HttpEmulatorServer } from '../shared/index.js';
import { badRequest, injectedFault, injectedStatus, permissionDenied, SEALED, VaultHttpError } from './errors.js';
import { isMutating, serveKv, type Reply } from './handlers.js';
import type { ResolvedVaultOptions } from './options.js';
import { matchRoute } from './routes.js';
import type { StoredToken, VaultStore } from './store.js';

/** One served request, as tests and `sandbox serve` may inspect it. */
export interface VaultRequestLogEntry {
  readonly method: string;
  /** Request path and query (mount and secret paths; never a token or a value). */
  readonly path: string;
  readonly status: number;
  /** The namespace header, when one was sent. */
  readonly namespace?: string;
  /** Why the emulator refused; never sent to the client. */
  readonly detail?: string;
}

/** The emulator's switches that tests flip while it runs. */
export interface VaultControls {
  sealed: boolean;
  /** Injected status for the next `remaining` mutating calls. */
  failWrites: { status: number; remaining: number } | undefined;
}

/** What the server works with. */
export interface VaultServerDeps {
  readonly store: VaultStore;
  readonly options: ResolvedVaultOptions;
  readonly controls: VaultControls;
  readonly log: VaultRequestLogEntry[];
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw badRequest('error parsing JSON');
  }
}

/** The token a request carries, if any. */
function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers['x-vault-token'];
  if (typeof header === 'string' && header !== '') return header;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
  return bearer?.[1];
}

function namespaceOf(req: IncomingMessage): string {
  const raw = req.headers['x-vault-namespace'];
  return typeof raw === 'string' ? raw.replace(/^\/+|\/+$/g, '') : '';
}

function health(deps: VaultServerDeps): Reply {
  const sealed = deps.controls.sealed;
  return { status: sealed ? 503 : 200, raw: { initialized: true, sealed, standby: false, performance_standby: false, version: '1.15.0-keyplan-emulator' } };
}

function serve(deps: VaultServerDeps, req: IncomingMessage, body: Buffer): Reply {
  const method = (req.method ?? 'GET').toUpperCase();
  const route = matchRoute(method, req.url ?? '/', deps.options.mounts);
  if (route.op === 'health') return health(deps);
  if (deps.controls.sealed) throw new VaultHttpError(503, [SEALED], 'sealed');
  // Another process sharing the data folder may have changed the store since our last look.
  deps.store.sync();
  const token = tokenOf(req);
  const caller: StoredToken | undefined = token === undefined ? undefined : deps.store.token(token);
  if (caller === undefined) throw permissionDenied(token === undefined ? 'no token' : 'unknown token');
  const fail = deps.controls.failWrites;
  if (fail !== undefined && fail.remaining > 0 && isMutating(route, method)) {
    fail.remaining -= 1;
    throw injectedStatus(fail.status);
  }
  return serveKv({
    store: deps.store,
    options: deps.options,
    route,
    method,
    namespace: namespaceOf(req),
    caller,
    body: parseJson(body),
    now: deps.options.now(),
  });
}

function envelope(data: unknown): string {
  return JSON.stringify({
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: data ?? null,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: 'kv',
  });
}

function answer(
  deps: VaultServerDeps,
  faults: FaultInjector<VaultHttpError>,
  req: IncomingMessage,
  body: Buffer | undefined,
): HttpAnswer<VaultRequestLogEntry> {
  let status: number;
  let text: string | undefined;
  let detail: string | undefined;
  try {
    if (body === undefined) throw badRequest('request body too large');
    const injected = faults.next();
    if (injected !== undefined) throw injected;
    const reply = serve(deps, req, body);
    status = reply.status;
    text = reply.status === 204 ? undefined : reply.raw !== undefined ? JSON.stringify(reply.raw) : envelope(reply.data);
  } catch (err) {
    const e = err instanceof VaultHttpError ? err : new VaultHttpError(500, ['internal error'], emulatorBug(err));
    status = e.status;
    text = JSON.stringify({ errors: e.errors });
    detail = e.detail;
  }
  const namespace = namespaceOf(req);
  return {
    status,
    headers: { 'cache-control': 'no-store' },
    ...(text === undefined ? {} : { body: text }),
    entry: {
      method: req.method ?? '',
      path: req.url ?? '',
      status,
      ...(namespace === '' ? {} : { namespace }),
      ...(detail === undefined ? {} : { detail }),
    },
  };
}

/** Starts the HTTP server of the Vault routes on 127.0.0.1. */
export function startVaultServer(deps: VaultServerDeps): Promise<HttpEmulatorServer> {
  const faults = new FaultInjector(deps.options.failRate, deps.options.seed, injectedFault);
  const { port, latencyMs } = deps.options;
  return startHttpEmulator({ port, latencyMs, log: deps.log, answer: (req, body) => answer(deps, faults, req, body) });
}
