/**
 * BDS work requests (providers/oci.md §2.2, §7.9): accepted by create, delete and the
 * connection test, advanced by GetWorkRequest (IN_PROGRESS for `workRequestPolls` GETs),
 * finished with `timeFinished` set — the SDK waiter looks at nothing else — and a resource
 * whose `entityUri` names the key, which is how clients find a new key's id.
 */
import type { Reply } from '../handlers.js';
import { notAuthorizedOrNotFound } from '../errors.js';
import { bdsDoc, requireAdmin, type BdsContext } from './context.js';
import { completeWork } from './complete.js';
import type { BdsOperation, WorkRequestRecord } from './document.js';
import { mintRegionalOcid } from './ids.js';
import { paginate, sortOrderOf } from './paging.js';
import { BDS_API_PREFIX } from './routes.js';

/** Finished work requests older than this are forgotten, so a long-lived sandbox stays small. */
export const WORK_REQUEST_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What a new work request is about. */
export interface WorkRequestInit {
  readonly operationType: BdsOperation;
  readonly bdsInstanceId: string;
  readonly keyId: string;
  readonly compartmentId: string;
  readonly plannedError?: { readonly code: string; readonly message: string };
}

const iso = (ms: number): string => new Date(ms).toISOString();

// [guess] the wording of the service's log entries is undocumented; clients only show them.
const OPERATION_TEXT: Readonly<Record<BdsOperation, string>> = {
  CREATE_API_KEY: 'Creating the API key',
  DELETE_API_KEY: 'Deleting the API key',
  TEST_OBJECT_STORE_CONNECTION: 'Testing the Object Storage connection',
};

/** Appends a ListWorkRequestLogs entry. */
function addLog(wr: WorkRequestRecord, message: string, now: number): void {
  (wr.logs ??= []).push({ message, timestamp: iso(now) });
}

/** Runs the work now and records how it ended. */
function finish(ctx: BdsContext, wr: WorkRequestRecord): void {
  const outcome = completeWork(ctx, wr);
  wr.timeStarted ??= iso(ctx.now);
  wr.timeFinished = iso(ctx.now);
  wr.percentComplete = 100;
  const what = OPERATION_TEXT[wr.operationType];
  if (outcome === undefined) {
    addLog(wr, `${what} succeeded.`, ctx.now);
    wr.status = 'SUCCEEDED';
    // [guess] a connection test changes nothing; UPDATED is the closest action type.
    wr.actionType = wr.operationType === 'CREATE_API_KEY' ? 'CREATED' : wr.operationType === 'DELETE_API_KEY' ? 'DELETED' : 'UPDATED';
  } else {
    addLog(wr, `${what} failed: ${outcome.message}`, ctx.now);
    wr.status = 'FAILED';
    wr.actionType = 'FAILED';
    wr.errors.push({ code: outcome.code, message: outcome.message, timestamp: iso(ctx.now) });
  }
}

/** Records a new work request; with `workRequestPolls` 0 it is finished before this returns (caller commits). */
export function acceptWorkRequest(ctx: BdsContext, init: WorkRequestInit): WorkRequestRecord {
  const doc = bdsDoc(ctx);
  for (const [id, old] of Object.entries(doc.workRequests)) {
    if (old.timeFinished !== undefined && Date.parse(old.timeFinished) < ctx.now - WORK_REQUEST_TTL_MS) delete doc.workRequests[id];
  }
  const wr: WorkRequestRecord = {
    id: mintRegionalOcid('bdsworkrequest', ctx.store.region),
    ...init,
    status: 'ACCEPTED',
    actionType: 'IN_PROGRESS',
    percentComplete: 0,
    timeAccepted: iso(ctx.now),
    pollsLeft: ctx.options.bds.workRequestPolls,
    errors: [],
    logs: [{ message: `${OPERATION_TEXT[init.operationType]}: work request accepted.`, timestamp: iso(ctx.now) }],
  };
  doc.workRequests[wr.id] = wr;
  if (wr.pollsLeft === 0) finish(ctx, wr);
  return wr;
}

/** The wire form of a WorkRequest. */
export function workRequestJson(wr: WorkRequestRecord): Record<string, unknown> {
  return {
    id: wr.id,
    compartmentId: wr.compartmentId,
    operationType: wr.operationType,
    status: wr.status,
    resources: [
      {
        // tf picks the resource whose lower-cased entityType contains "bds" ([guess] the exact name).
        entityType: 'bdsApiKey',
        actionType: wr.actionType,
        identifier: wr.keyId,
        entityUri: `${BDS_API_PREFIX}/bdsInstances/${wr.bdsInstanceId}/apiKeys/${wr.keyId}`,
      },
    ],
    percentComplete: wr.percentComplete,
    timeAccepted: wr.timeAccepted,
    ...(wr.timeStarted === undefined ? {} : { timeStarted: wr.timeStarted }),
    ...(wr.timeFinished === undefined ? {} : { timeFinished: wr.timeFinished }),
  };
}

export function lookupWorkRequest(ctx: BdsContext, id: string): WorkRequestRecord {
  requireAdmin(ctx);
  const wr = bdsDoc(ctx).workRequests[id];
  if (wr === undefined) throw notAuthorizedOrNotFound('unknown work request');
  return wr;
}

/** GET /workRequests/{id}: advances the request one step, then shows it. */
export function getWorkRequest(ctx: BdsContext, id: string): Reply {
  const wr = lookupWorkRequest(ctx, id);
  if (wr.timeFinished === undefined) {
    if (wr.pollsLeft > 0) {
      wr.pollsLeft -= 1;
      if (wr.status !== 'IN_PROGRESS') addLog(wr, `${OPERATION_TEXT[wr.operationType]}: in progress.`, ctx.now);
      wr.status = 'IN_PROGRESS';
      wr.timeStarted ??= new Date(ctx.now).toISOString();
      wr.percentComplete = 50;
    } else {
      finish(ctx, wr);
    }
    ctx.store.commit();
  }
  return {
    status: 200,
    body: JSON.stringify(workRequestJson(wr)),
    // Seconds a client should wait before polling again; only while the work runs.
    ...(wr.timeFinished === undefined ? { headers: { 'retry-after': '1' } } : {}),
  };
}

/** GET /workRequests/{id}/errors: a bare array, oldest first unless sortOrder=DESC. */
export function listWorkRequestErrors(ctx: BdsContext, id: string, query: URLSearchParams): Reply {
  const wr = lookupWorkRequest(ctx, id);
  const order = sortOrderOf(query, 'ASC');
  const errors = order === 'ASC' ? wr.errors : [...wr.errors].reverse();
  const page = paginate(errors, query, `errors:${id}`, ctx.options.bds.defaultPageSize);
  return {
    status: 200,
    body: JSON.stringify(page.items),
    ...(page.nextPage === undefined ? {} : { headers: { 'opc-next-page': page.nextPage } }),
  };
}
