/**
 * The plan-time check that a declared BDS cluster exists: one GetBdsInstance per cluster
 * and adapter, before its keys are listed. A 404 that ListBdsApiKeys confirms (or a
 * cluster that is DELETED or FAILED) becomes an OwnerNotFoundError, which refresh turns
 * into an error at the `cluster` field of every key naming it, instead of a
 * CreateBdsApiKey failing deep in apply.
 */
import type * as bds from 'oci-bds';
import { OwnerNotFoundError } from '../../../errors/errors.js';
import { OCI_CODES } from '../codes.js';
import { ociErrorInfo } from '../errors.js';
import { BDS_API_KEY_KIND } from './bds-key.js';
import { bdsError } from './errors.js';

/** Cluster states in which no key can be created or used. */
const GONE_STATES: ReadonlySet<string> = new Set(['DELETED', 'DELETING', 'FAILED']);

/** Remembers which clusters were found, so each is read once per adapter. */
export class ClusterCheck {
  readonly #client: bds.BdsClient;
  readonly #provider: string;
  readonly #found = new Map<string, Promise<void>>();

  constructor(client: bds.BdsClient, provider: string) {
    this.#client = client;
    this.#provider = provider;
  }

  /** Resolves when `cluster` exists; throws OwnerNotFoundError when it does not, ProviderError when the call fails. */
  require(cluster: string): Promise<void> {
    let check = this.#found.get(cluster);
    if (check === undefined) {
      check = this.#read(cluster);
      // A failed check is not remembered: the next plan asks again.
      check.catch(() => this.#found.delete(cluster));
      this.#found.set(cluster, check);
    }
    return check;
  }

  async #read(cluster: string): Promise<void> {
    let state: string;
    try {
      state = String((await this.#client.getBdsInstance({ bdsInstanceId: cluster })).bdsInstance.lifecycleState);
    } catch (err) {
      const info = ociErrorInfo(err);
      if (info?.statusCode !== 404) throw bdsError(err, { provider: this.#provider, operation: 'GetBdsInstance', cluster });
      // OCI answers 404 for "not allowed" too: a policy may grant the API keys but not
      // BDS_INSTANCE_INSPECT. A cluster whose keys can be listed exists.
      if (await this.#keysListable(cluster)) return;
      throw this.#notFound(
        cluster,
        `GetBdsInstance answered 404 ${info.serviceCode}: no such cluster, or provider "${this.#provider}" may not read it`,
        info.requestId,
      );
    }
    if (GONE_STATES.has(state)) throw this.#notFound(cluster, `the cluster is ${state}`);
  }

  /** True when ListBdsApiKeys of the cluster answers; false on 404; other failures are thrown. */
  async #keysListable(cluster: string): Promise<boolean> {
    try {
      await this.#client.listBdsApiKeys({ bdsInstanceId: cluster, limit: 1 });
      return true;
    } catch (err) {
      if (ociErrorInfo(err)?.statusCode === 404) return false;
      throw bdsError(err, { provider: this.#provider, operation: 'ListBdsApiKeys', cluster });
    }
  }

  #notFound(cluster: string, why: string, requestId?: string): OwnerNotFoundError {
    const rid = requestId === undefined ? '' : ` (opc-request-id ${requestId})`;
    return new OwnerNotFoundError(`BDS cluster ${cluster} cannot hold keys: ${why}${rid}`, {
      code: OCI_CODES.bdsClusterNotFound,
      provider: this.#provider,
      operation: 'GetBdsInstance',
      retryable: false,
      ownerField: 'cluster',
      owner: cluster,
      kind: BDS_API_KEY_KIND,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
}
