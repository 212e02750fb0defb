/**
 * The OUTSCALE side of the emulator's HTTP server (the skeleton is shared/http-server):
 * every call is `POST /api/v1/{Action}` (or `/api/latest/{Action}`, which osc-cli uses)
 * with a JSON body. It applies injected faults and the limiters, authenticates from the
 * raw bytes, runs the call and answers JSON with `ResponseContext.RequestId`. The request
 * log keeps method, path, action, status and error code only: never bodies, headers or secrets.
 */
import type { IncomingMessage } from 'node:http';
import { emulatorBug, FaultInjector, startHttpEmulator, type HttpAnswer, type HttpEmulatorServer } from '../shared/index.js';
import { authenticate, type Lockout } from './auth.js';
import { errorBody, invalidParameter, methodNotAllowed, OscApiError } from './errors.js';
import { ACTIONS } from './handlers.js';
import { mintRequestId } from './ids.js';
import type { ResolvedOptions } from './options.js';
import { parseParams } from './params.js';
import type { AccessKeyStore } from './store.js';
import { injectedFault, RateLimiters } from './throttle.js';

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

const ACTION_PATH = /^\/api\/(?:v1|latest)\/([A-Za-z0-9]+)$/;

/** What the server works with. */
export interface ServerDeps {
  readonly store: AccessKeyStore;
  readonly options: ResolvedOptions;
  readonly lockout: Lockout;
  readonly log: RequestLogEntry[];
}

interface Served {
  readonly action?: string;
  readonly status: number;
  readonly body: Record<string, unknown> | OscApiError;
}

function serve(deps: ServerDeps, faults: FaultInjector<OscApiError>, limiters: RateLimiters, req: IncomingMessage, body: Buffer | undefined): Served {
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
    const e = err instanceof OscApiError ? err : new OscApiError(options.errors.internalError, '', emulatorBug(err));
    return { ...(action === undefined ? {} : { action }), status: e.status, body: e };
  }
}

function answer(
  deps: ServerDeps,
  faults: FaultInjector<OscApiError>,
  limiters: RateLimiters,
  req: IncomingMessage,
  body: Buffer | undefined,
): HttpAnswer<RequestLogEntry> {
  const served = serve(deps, faults, limiters, req, body);
  const requestId = mintRequestId();
  const err = served.body instanceof OscApiError ? served.body : undefined;
  return {
    status: served.status,
    headers: {},
    body:
      served.body instanceof OscApiError ? errorBody(served.body, requestId) : JSON.stringify({ ...served.body, ResponseContext: { RequestId: requestId } }),
    entry: {
      method: req.method ?? '',
      path: req.url ?? '',
      ...(served.action === undefined ? {} : { action: served.action }),
      status: served.status,
      ...(err === undefined ? {} : { code: err.code }),
      ...(err?.logDetail === undefined ? {} : { detail: err.logDetail }),
    },
  };
}

/** Starts the HTTP server of the OUTSCALE access-key API on 127.0.0.1. */
export function startEmulatorServer(deps: ServerDeps): Promise<HttpEmulatorServer> {
  const { failRate, seed, errors, throttle, port, latencyMs } = deps.options;
  const faults = new FaultInjector(failRate, seed, injectedFault(errors.internalError));
  const limiters = new RateLimiters(throttle);
  return startHttpEmulator({ port, latencyMs, log: deps.log, answer: (req, body) => answer(deps, faults, limiters, req, body) });
}
