/**
 * The `oci.bds_api_key` half of the oci adapter: BDS API keys through the official
 * `oci-bds` client (providers/oci.md §2). Create and delete are work requests waited on
 * with a timeout; BDS calls use the SDK's own default of no retry unless the provider
 * block sets `max_attempts`. The passphrase only ever goes into request bodies to BDS.
 */
import type * as bds from 'oci-bds';
import { KeyplanError, ProviderError } from '../../../errors/errors.js';
import type { LiveKey } from '../../../model/live.js';
import { Secret } from '../../../model/secret.js';
import type {
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ListRequest,
  ListResult,
  VerifyRequest,
  VerifyResult,
  DescribeRequest,
  DescribeResult,
} from '../../contract.js';
import { isNotFound, ociErrorInfo } from '../errors.js';
import { retryTokenFor } from '../retry.js';
import { BDS_API_KEY_KIND, detailsOf, summaryOf, toBdsLiveKey } from './bds-key.js';
import { declaredBdsKey, type DeclaredBdsKey } from './declared.js';
import { ClusterCheck } from './cluster-check.js';
import { bdsError, type BdsErrorContext } from './errors.js';
import { allSummaries, getBdsKey, listBdsKeys } from './list.js';
import { testConnection, verifyConnection } from './test-connection.js';
import { awaitWorkRequest, createdKeyId, requireWorkRequestId, type WorkRequestWait } from './work-request.js';
import { OCI_CODES } from '../codes.js';

/** Tuning of the BDS calls; the defaults suit real OCI, tests shorten them. */
export interface BdsOptions {
  /** Longest wait for one work request. @default 1200000 (the OCI CLI's 1200 s) */
  readonly workRequestTimeoutMs?: number;
  /** First pause between GetWorkRequest polls; doubles each time. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Longest pause between polls. @default 30000 */
  readonly maxPollIntervalMs?: number;
  /** `limit` of each ListBdsApiKeys page. @default the service's */
  readonly pageLimit?: number;
}

/** BDS API keys of one provider block. */
export class BdsApiKeys {
  readonly #provider: string;
  readonly #client: bds.BdsClient;
  readonly #options: Required<Omit<BdsOptions, 'pageLimit'>> & BdsOptions;
  readonly #clusters: ClusterCheck;

  constructor(provider: string, client: bds.BdsClient, options: BdsOptions = {}) {
    this.#provider = provider;
    this.#client = client;
    this.#options = { workRequestTimeoutMs: 1_200_000, pollIntervalMs: 1_000, maxPollIntervalMs: 30_000, ...options };
    this.#clusters = new ClusterCheck(client, provider);
  }

  /** The keys of one cluster (`req.owner`), once it is known to exist; GETs only keys whose details state lacks. */
  async list(req: ListRequest): Promise<ListResult> {
    req.signal?.throwIfAborted();
    await this.#clusters.require(req.owner);
    const keys = await listBdsKeys({
      client: this.#client,
      provider: this.#provider,
      cluster: req.owner,
      known: req.knownAttributes,
      pageLimit: this.#options.pageLimit,
      signal: req.signal,
    });
    return { keys };
  }

  /**
   * Journals the alias, asks BDS to create the key, waits for the work request and reads
   * the new key. With `test_connection`, a failed test deletes the key again. Nothing
   * secret comes back: BDS keeps the private key on the cluster.
   */
  async create(req: CreateRequest): Promise<CreateResult> {
    const declared = declaredBdsKey(req.key);
    const { cluster, alias } = declared;
    const passphrase = req.passphrase;
    if (passphrase === null || passphrase.reveal() === '') {
      throw new KeyplanError(`key "${req.key.name}": an oci.bds_api_key needs a passphrase ({ env: NAME })`, {
        code: OCI_CODES.bdsPassphraseMissing,
        source: 'user',
      });
    }
    const ctx: BdsErrorContext = { provider: this.#provider, operation: 'CreateBdsApiKey', cluster, key: req.key.name, passphrase };
    req.signal?.throwIfAborted();
    // No id exists before the work request ends: the alias is what finds an interrupted create.
    await req.recordIntent(undefined, { attribute: 'alias', value: alias });
    req.signal?.throwIfAborted();
    const send = async (): Promise<string> => {
      const res = await this.#client.createBdsApiKey({
        bdsInstanceId: cluster,
        createBdsApiKeyDetails: {
          userId: declared.user,
          passphrase: passphrase.reveal(),
          keyAlias: alias,
          ...(declared.defaultRegion === undefined ? {} : { defaultRegion: declared.defaultRegion }),
        },
        opcRetryToken: retryTokenFor(req.token, alias),
      });
      return requireWorkRequestId(res.opcWorkRequestId, ctx);
    };
    let workRequestId: string;
    try {
      workRequestId = await send();
    } catch (first) {
      if (!outcomeUnknown(first)) throw bdsError(first, ctx);
      // The answer was lost (no response, 5xx): the same retry token makes BDS replay the
      // first answer if the key was created, so the work request is found and waited on
      // instead of leaving a key behind a throw (create is all-or-nothing).
      req.signal?.throwIfAborted();
      try {
        workRequestId = await send();
      } catch (err) {
        throw unknownOutcome(bdsError(err, ctx), err);
      }
    }
    let wr: bds.models.WorkRequest;
    try {
      wr = await awaitWorkRequest(this.#client, workRequestId, this.#wait(req.signal), ctx);
    } catch (err) {
      if (err instanceof ProviderError && err.serviceCode?.startsWith('WorkRequest') === true) await this.#removeFailed(cluster, alias);
      throw err;
    }
    const live = await this.#created(wr, declared, ctx);
    if (declared.test !== undefined) {
      await testConnection({
        client: this.#client,
        cluster,
        keyId: live.id,
        test: declared.test,
        passphrase,
        ctx,
        wait: this.#wait(req.signal),
        remove: () => this.#deleteQuietly(cluster, live.id),
      });
    }
    return { live, material: materialOf(live, declared) };
  }

  /** Deletes a key and waits for the work request; a key already gone counts as deleted. */
  async delete(req: DeleteRequest): Promise<void> {
    const ctx: BdsErrorContext = { provider: this.#provider, operation: 'DeleteBdsApiKey', cluster: req.owner };
    req.signal?.throwIfAborted();
    await req.recordIntent();
    let workRequestId: string;
    try {
      const res = await this.#client.deleteBdsApiKey({ bdsInstanceId: req.owner, apiKeyId: req.id });
      workRequestId = requireWorkRequestId(res.opcWorkRequestId, ctx);
    } catch (err) {
      if (isNotFound(err)) return;
      // 409: a delete may already be under way; a key that is DELETING or gone is deleted.
      if (ociErrorInfo(err)?.statusCode === 409) {
        const now = await getBdsKey(this.#client, this.#provider, req.owner, req.id);
        if (now === undefined || now.lifecycleState === 'DELETING' || now.lifecycleState === 'DELETED') return;
      }
      throw bdsError(err, ctx);
    }
    await awaitWorkRequest(this.#client, workRequestId, this.#wait(req.signal), ctx);
  }

  /**
   * Proves a new key works: with `test_connection`, TestBdsObjectStorageConnection with its
   * passphrase (a FAILED work request rejects it). Without one there is nothing keyplan can
   * authenticate with (BDS keeps the private key on the cluster), so it counts as authenticated.
   */
  async verify(req: VerifyRequest): Promise<VerifyResult> {
    const declared = declaredBdsKey(req.key);
    if (declared.test === undefined) return { outcome: 'authenticated' };
    const passphrase = req.passphrase;
    if (passphrase === null || passphrase.reveal() === '')
      return { outcome: 'rejected', reason: 'an oci.bds_api_key needs a passphrase to test its connection' };
    const ctx: BdsErrorContext = {
      provider: this.#provider,
      operation: 'TestBdsObjectStorageConnection',
      cluster: declared.cluster,
      key: req.key.name,
      passphrase,
    };
    return verifyConnection({
      client: this.#client,
      cluster: declared.cluster,
      keyId: req.live.id,
      test: declared.test,
      passphrase,
      ctx,
      wait: this.#wait(req.signal),
    });
  }

  /** User, fingerprint, tenancy and region of a key, from GetBdsApiKey (its public key is among the user's IAM keys). */
  async describe(req: DescribeRequest): Promise<DescribeResult> {
    req.signal?.throwIfAborted();
    const key = await getBdsKey(this.#client, this.#provider, req.owner, req.id);
    if (key === undefined) return { values: {} };
    const values: Record<string, string> = {};
    for (const [field, value] of [
      ['user', key.userId],
      ['fingerprint', key.fingerprint?.toLowerCase()],
      ['tenancy', key.tenantId],
      ['region', key.defaultRegion],
    ] as const) {
      if (typeof value === 'string' && value !== '') values[field] = value;
    }
    return { values };
  }

  /** Shuts the client down. */
  close(): void {
    this.#client.close();
  }

  #wait(signal: AbortSignal | undefined): WorkRequestWait {
    const o = this.#options;
    return { timeoutMs: o.workRequestTimeoutMs, pollIntervalMs: o.pollIntervalMs, maxPollIntervalMs: o.maxPollIntervalMs, signal };
  }

  /** The key a SUCCEEDED create made: named by the work request, or else found by its alias. */
  async #created(wr: bds.models.WorkRequest, declared: DeclaredBdsKey, ctx: BdsErrorContext): Promise<LiveKey> {
    const { cluster, alias } = declared;
    const id = createdKeyId(wr, cluster) ?? (await this.#byAlias(cluster, alias))[0]?.id;
    const full = id === undefined ? undefined : await getBdsKey(this.#client, this.#provider, cluster, id);
    const live = full === undefined ? undefined : toBdsLiveKey(summaryOf(full), detailsOf(full), { provider: this.#provider, cluster });
    if (live !== undefined) return live;
    throw new ProviderError(
      `oci: CreateBdsApiKey on cluster ${cluster}: work request ${wr.id} SUCCEEDED but no key with alias "${alias}" can be read; the next plan shows it`,
      {
        provider: ctx.provider,
        operation: ctx.operation,
        key: ctx.key,
        retryable: false,
      },
    );
  }

  async #byAlias(cluster: string, alias: string): Promise<bds.models.BdsApiKeySummary[]> {
    const all = await allSummaries({ client: this.#client, provider: this.#provider, cluster });
    return all.filter((s) => s.keyAlias === alias && s.lifecycleState !== 'DELETED');
  }

  /**
   * After a FAILED create: a key the service left in state FAILED under the alias would
   * keep the alias taken, so it is deleted (best effort; an ACTIVE one is left to the next
   * plan, which finds it through the journalled alias).
   */
  async #removeFailed(cluster: string, alias: string): Promise<void> {
    try {
      for (const s of await this.#byAlias(cluster, alias)) if (s.lifecycleState === 'FAILED') await this.#deleteQuietly(cluster, s.id);
    } catch {
      // Best effort: the journal still names the alias.
    }
  }

  /** Best-effort delete of a key create gave up on; true when it is gone. */
  async #deleteQuietly(cluster: string, id: string): Promise<boolean> {
    try {
      await this.delete({ kind: BDS_API_KEY_KIND, owner: cluster, id, recordIntent: async () => undefined });
      return true;
    } catch {
      return false;
    }
  }
}

/** No answer or a 5xx: the service may have acted. */
function outcomeUnknown(err: unknown): boolean {
  const status = ociErrorInfo(err)?.statusCode;
  return status === undefined || status >= 500;
}

/** A failed create call whose effect is unknown (no answer, 5xx) says that the next plan will tell. */
function unknownOutcome(e: ProviderError, cause: unknown): ProviderError {
  if (!outcomeUnknown(cause)) return e;
  return new ProviderError(`${e.message}; whether the key was created is unknown (the next plan shows it)`, {
    provider: e.provider,
    operation: e.operation,
    key: e.key,
    retryable: e.retryable,
    statusCode: e.statusCode,
    serviceCode: e.serviceCode,
    requestId: e.requestId,
    cause,
  });
}

/** What outputs could use: nothing secret (BDS keeps the private key), only identifiers. */
function materialOf(live: LiveKey, declared: DeclaredBdsKey): CreateResult['material'] {
  const values: Record<string, string> = { cluster: declared.cluster, alias: declared.alias, user: declared.user, key_id: live.id };
  const fp = live.attributes['fingerprint'];
  const region = live.attributes['default_region'];
  if (typeof fp === 'string') values['fingerprint'] = fp;
  if (typeof region === 'string') values['region'] = region;
  return { file: new Secret(''), secrets: {}, values };
}
