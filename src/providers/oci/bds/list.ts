/**
 * Listing one cluster's BDS API keys: ListBdsApiKeys page by page (`opc-next-page`), then
 * GetBdsApiKey only for keys whose user and fingerprint state does not already hold. The
 * summaries lack both (providers/oci.md §2.1), and a key's user and fingerprint never
 * change, so what keyplan recorded when it created the key stays true.
 */
import type * as bds from 'oci-bds';
import type { Attributes } from '../../../model/desired.js';
import type { LiveKey } from '../../../model/live.js';
import { ProviderError } from '../../../errors/errors.js';
import { isNotFound } from '../errors.js';
import { bdsStatusOf, detailsOf, recordedDetails, toBdsLiveKey } from './bds-key.js';
import { bdsError, bdsPrefix } from './errors.js';

/** One listing of one cluster. */
export interface ListBdsKeysInput {
  readonly client: bds.BdsClient;
  /** Provider block name. */
  readonly provider: string;
  readonly cluster: string;
  /** Attributes state recorded, by key id. */
  readonly known?: Readonly<Record<string, Attributes>>;
  /** `limit` of each ListBdsApiKeys page; undefined leaves it to the service. */
  readonly pageLimit?: number;
  readonly signal?: AbortSignal;
}

/** Pages a listing may take before keyplan assumes the service is looping. */
const MAX_PAGES = 1000;

/** Every live key of the cluster, sorted by id. */
export async function listBdsKeys(input: ListBdsKeysInput): Promise<LiveKey[]> {
  const scope = { provider: input.provider, cluster: input.cluster };
  const keys: LiveKey[] = [];
  for (const summary of await allSummaries(input)) {
    if (bdsStatusOf(summary.lifecycleState) === undefined) continue;
    const known = Object.prototype.hasOwnProperty.call(input.known ?? {}, summary.id) ? input.known?.[summary.id] : undefined;
    let details = recordedDetails(known);
    if (details === undefined) {
      input.signal?.throwIfAborted();
      const full = await getBdsKey(input.client, input.provider, input.cluster, summary.id);
      // Deleted between the list and the get: it is gone.
      if (full === undefined) continue;
      details = detailsOf(full);
    }
    const live = toBdsLiveKey(summary, details, scope);
    if (live !== undefined) keys.push(live);
  }
  return keys.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** GetBdsApiKey; undefined on 404. */
export async function getBdsKey(client: bds.BdsClient, provider: string, cluster: string, id: string): Promise<bds.models.BdsApiKey | undefined> {
  try {
    return (await client.getBdsApiKey({ bdsInstanceId: cluster, apiKeyId: id })).bdsApiKey;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw bdsError(err, { provider, operation: 'GetBdsApiKey', cluster });
  }
}

/** Every summary of the cluster, following `opc-next-page` until the last page. */
export async function allSummaries(input: ListBdsKeysInput): Promise<bds.models.BdsApiKeySummary[]> {
  const ctx = { provider: input.provider, operation: 'ListBdsApiKeys' as const, cluster: input.cluster };
  const out: bds.models.BdsApiKeySummary[] = [];
  const seen = new Set<string>();
  let page: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    input.signal?.throwIfAborted();
    let res: bds.responses.ListBdsApiKeysResponse;
    try {
      res = await input.client.listBdsApiKeys({
        bdsInstanceId: input.cluster,
        ...(page === undefined ? {} : { page }),
        ...(input.pageLimit === undefined ? {} : { limit: input.pageLimit }),
      });
    } catch (err) {
      throw bdsError(err, ctx);
    }
    out.push(...(res.items ?? []));
    const next = res.opcNextPage;
    if (typeof next !== 'string' || next === '') return out;
    if (seen.has(next)) break;
    seen.add(next);
    page = next;
  }
  throw new ProviderError(`${bdsPrefix(ctx)}: the listing does not end (page token repeated or more than ${MAX_PAGES} pages)`, {
    provider: ctx.provider,
    operation: ctx.operation,
    retryable: false,
  });
}
