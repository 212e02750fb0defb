/**
 * BDS create, delete and connection test are asynchronous work requests (providers/oci.md
 * §2.2). The SDK waiter `forWorkRequest` polls GetWorkRequest until `timeFinished` is set
 * and returns the last answer whatever its status (§5.5), so the status is checked here: a
 * FAILED or CANCELED request becomes a ProviderError quoting its ListWorkRequestErrors, and
 * a request still unfinished at the timeout becomes one that says its outcome is unknown.
 */
import * as bds from 'oci-bds';
import * as common from 'oci-common';
import { ProviderError } from '../../../errors/errors.js';
import { formatDuration } from '../../../model/duration.js';
import { bdsError, bdsPrefix, safeText, type BdsErrorContext } from './errors.js';

/** How long and how often to poll a work request. */
export interface WorkRequestWait {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Pause after the first poll; doubles each time up to `maxPollIntervalMs`. */
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly signal?: AbortSignal;
}

/** Error entries quoted in a message, at most. */
const MAX_QUOTED_ERRORS = 5;

/**
 * Waits until work request `id` finishes and returns it when it SUCCEEDED.
 * @throws ProviderError for FAILED/CANCELED (quoting the work request's errors), a timeout
 *   or a failed poll; the abort reason when `wait.signal` fires.
 */
export async function awaitWorkRequest(client: bds.BdsClient, id: string, wait: WorkRequestWait, ctx: BdsErrorContext): Promise<bds.models.WorkRequest> {
  const started = Date.now();
  // Strategies of the SDK waiter, in its units (seconds), checking the abort signal too.
  const terminationStrategy: common.TerminationStrategy = {
    shouldTerminate: () => wait.signal?.aborted === true || Date.now() - started >= wait.timeoutMs,
  };
  const delayStrategy: common.DelayStrategy = {
    delay: (c) => Math.min(wait.pollIntervalMs * 2 ** c.attemptCount, wait.maxPollIntervalMs) / 1000,
  };
  const waiter = client.createWaiters({ terminationStrategy, delayStrategy });
  let wr: bds.models.WorkRequest;
  try {
    wr = (await waiter.forWorkRequest({ workRequestId: id })).workRequest;
  } catch (err) {
    wait.signal?.throwIfAborted();
    if (err instanceof Error && err.message.startsWith('Termination strategy')) {
      throw new ProviderError(
        `${bdsPrefix(ctx)}: work request ${id} did not finish within ${formatDuration(wait.timeoutMs)}; its outcome is unknown (the next plan shows it)`,
        {
          provider: ctx.provider,
          operation: ctx.operation,
          key: ctx.key,
          retryable: false,
          cause: err,
        },
      );
    }
    throw bdsError(err, { ...ctx, operation: 'GetWorkRequest' });
  }
  if (wr.status === 'SUCCEEDED') return wr;
  throw await failedWorkRequest(client, wr, ctx);
}

/** The error of a work request that finished without success, quoting its error entries. */
async function failedWorkRequest(client: bds.BdsClient, wr: bds.models.WorkRequest, ctx: BdsErrorContext): Promise<ProviderError> {
  let quoted: string;
  try {
    const res = await client.listWorkRequestErrors({ workRequestId: wr.id });
    const items = res.items.slice(0, MAX_QUOTED_ERRORS).map((e) => `${e.code}: ${e.message}`);
    const more = res.items.length > MAX_QUOTED_ERRORS || (res.opcNextPage ?? '') !== '' ? ' (more errors not shown)' : '';
    quoted = items.length === 0 ? 'no error entries were reported' : `${items.join('; ')}${more}`;
  } catch (err) {
    quoted = `its errors could not be read (${bdsError(err, { ...ctx, operation: 'ListWorkRequestErrors' }).message})`;
  }
  const status = String(wr.status);
  return new ProviderError(`${bdsPrefix(ctx)}: work request ${wr.id} ${status}: ${safeText(quoted, ctx.passphrase)}`, {
    provider: ctx.provider,
    operation: ctx.operation,
    key: ctx.key,
    retryable: false,
    serviceCode: `WorkRequest${status}`,
  });
}

/**
 * The key id a create work request names: the first resource whose entity type mentions
 * "bds" with action CREATED, its `entityUri` being `/20190531/bdsInstances/{cluster}/apiKeys/{id}`
 * (what the Terraform provider parses, §2.2). Undefined when no resource says so.
 */
export function createdKeyId(wr: bds.models.WorkRequest, cluster: string): string | undefined {
  for (const r of wr.resources ?? []) {
    if (
      !String(r.entityType ?? '')
        .toLowerCase()
        .includes('bds') ||
      r.actionType !== 'CREATED'
    )
      continue;
    const uri = String(r.entityUri ?? '')
      .replace(/^\/\d+\//, '')
      .replace(/^\//, '');
    const m = /^bdsInstances\/([^/]+)\/apiKeys\/([^/?#]+)$/.exec(uri);
    if (m !== null && decodeURIComponent(m[1] as string) === cluster) return decodeURIComponent(m[2] as string);
  }
  return undefined;
}

/** A work request id the SDK response must carry; its absence is the service's fault. */
export function requireWorkRequestId(id: string | undefined, ctx: BdsErrorContext): string {
  if (typeof id === 'string' && id !== '') return id;
  throw new ProviderError(`${bdsPrefix(ctx)}: the service accepted the call but named no work request (opc-work-request-id)`, {
    provider: ctx.provider,
    operation: ctx.operation,
    key: ctx.key,
    retryable: false,
  });
}
