/**
 * What a BDS work request does when it runs (providers/oci.md §2.2, §2.4): create makes
 * the key ACTIVE and, with shared slots, uploads its public half to the user's IAM keys,
 * failing when the user already holds the limit; delete removes both; a connection test
 * reports the outcome decided on arrival. A failed create leaves no key behind, so the
 * alias is free again; a failed delete leaves the key ACTIVE.
 */
import { activeKeyRecord } from '../credentials.js';
import type { BdsContext } from './context.js';
import { userExists } from './context.js';
import type { BdsKeyRecord, ClusterRecord, WorkRequestRecord } from './document.js';

/** Why a work request failed; undefined when it succeeded. */
export type Outcome = { readonly code: string; readonly message: string } | undefined;

function targetOf(ctx: BdsContext, wr: WorkRequestRecord): { cluster: ClusterRecord; key: BdsKeyRecord } | undefined {
  const cluster = ctx.store.bds.clusters[wr.bdsInstanceId];
  const key = cluster?.keys.find((k) => k.id === wr.keyId);
  return cluster === undefined || key === undefined ? undefined : { cluster, key };
}

const gone: Outcome = { code: 'NotAuthorizedOrNotFound', message: 'The API key no longer exists.' };

/** Decides whether this create/delete is one the injected fault rate fails. */
function injectedFault(ctx: BdsContext, what: string): Outcome {
  const rate = ctx.options.bds.failWorkRequests;
  if (rate <= 0 || ctx.random() >= rate) return undefined;
  return { code: 'InternalServerError', message: `Internal error occurred while trying to ${what} the API key.` };
}

function completeCreate(ctx: BdsContext, wr: WorkRequestRecord): Outcome {
  const target = targetOf(ctx, wr);
  if (target === undefined) return gone;
  const { cluster, key } = target;
  const { store, options } = ctx;
  const dropKey = (outcome: Outcome): Outcome => {
    cluster.keys = cluster.keys.filter((k) => k.id !== key.id);
    return outcome;
  };
  if (!userExists(ctx, key.userId)) {
    return dropKey({ code: 'NotAuthorizedOrNotFound', message: `User ${key.userId} was not found or is not authorized.` });
  }
  const fault = injectedFault(ctx, 'create');
  if (fault !== undefined) return dropKey(fault);
  if (options.bds.sharedSlots) {
    if (store.keysOf(key.userId).length >= options.keyLimit) {
      // [inference] providers/oci.md §2.4: the BDS key is an IAM key, so the IAM limit applies.
      return dropKey({
        code: options.limitError.code,
        message: `User ${key.userId} already has the maximum number of API keys (${options.keyLimit}); a Big Data Service API key uses one of them.`,
      });
    }
    store.ensureUser(key.userId);
    store.addKey(key.userId, activeKeyRecord(key.publicKeyPem, ctx.now));
  }
  key.lifecycleState = 'ACTIVE';
  return undefined;
}

function completeDelete(ctx: BdsContext, wr: WorkRequestRecord): Outcome {
  const target = targetOf(ctx, wr);
  if (target === undefined) return gone;
  const { cluster, key } = target;
  const fault = injectedFault(ctx, 'delete');
  if (fault !== undefined) {
    key.lifecycleState = 'ACTIVE';
    return fault;
  }
  cluster.keys = cluster.keys.filter((k) => k.id !== key.id);
  // The IAM key may already be gone (deleted through Identity); that is not an error.
  if (ctx.options.bds.sharedSlots) ctx.store.removeKey(key.userId, key.fingerprint);
  return undefined;
}

function completeTest(ctx: BdsContext, wr: WorkRequestRecord): Outcome {
  const target = targetOf(ctx, wr);
  if (target === undefined) return gone;
  if (target.key.lifecycleState !== 'ACTIVE') {
    return { code: 'IncorrectState', message: `The API key is ${target.key.lifecycleState}, not ACTIVE.` };
  }
  return wr.plannedError;
}

/** Runs the work of `wr` against the store; the caller records the outcome and commits. */
export function completeWork(ctx: BdsContext, wr: WorkRequestRecord): Outcome {
  switch (wr.operationType) {
    case 'CREATE_API_KEY':
      return completeCreate(ctx, wr);
    case 'DELETE_API_KEY':
      return completeDelete(ctx, wr);
    case 'TEST_OBJECT_STORE_CONNECTION':
      return completeTest(ctx, wr);
  }
}
