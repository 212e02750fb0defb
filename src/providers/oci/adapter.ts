/**
 * The `oci` provider adapter for kind `oci.api_key`: OCI IAM API signing keys through
 * the official `oci-identity` client (ListApiKeys / UploadApiKey / DeleteApiKey); kind `oci.bds_api_key` goes to ./bds.
 *
 * One IdentityClient per configured block. Its circuit breaker is off: the breaker
 * would turn a burst of 5xx into 30 s of refused calls shared by unrelated keys, and the
 * apply engine already decides about retries. The SDK's own retries (8 attempts for
 * Identity) stay on unless the block sets `max_attempts`. The SDK prints its retry
 * warnings on the console; the CLI routes those to the debug log, the adapter leaves
 * the console alone.
 */
import * as common from 'oci-common';
import * as identity from 'oci-identity';
import { InternalError, KeyplanError, ProviderError } from '../../errors/errors.js';
import type { LiveKey } from '../../model/live.js';
import {
  CONTRACT_VERSION,
  type AdapterFactory,
  type ConfigureRequest,
  type CreateRequest,
  type CreateResult,
  type DeleteRequest,
  type ListRequest,
  type ListResult,
  type ProviderAdapter,
  type DescribeRequest,
  type DescribeResult,
  type VerifyRequest,
  type VerifyResult,
} from '../contract.js';
import { OCI_API_KEY_KIND, toLiveKey } from './api-key.js';
import { BDS_API_KEY_KIND, lazyBdsApiKeys, type BdsOptions, type LazyBdsApiKeys } from './bds/lazy.js';
import { resolveOciCredentials, type OciCredentials } from './credentials.js';
import { isNotFound, toProviderError, userNotFound } from './errors.js';
import { generateApiKeyPair } from './keygen.js';
import { recoverUpload } from './recover-upload.js';
import { retryConfigurationFor, retryTokenFor } from './retry.js';
import { declaredBits } from './validate.js';
import { verifyApiKey } from './verify.js';
import { waitUntilActive } from './wait-active.js';
import { OCI_CODES } from './codes.js';

type ApiKey = identity.models.ApiKey;

/** Tuning of an {@link OciAdapter}; the defaults suit real OCI, tests shorten them. */
export interface OciAdapterOptions {
  /** How long a new key may stay CREATING before create gives up. @default 300000 */
  readonly activeTimeoutMs?: number;
  /** First pause between ListApiKeys polls while waiting for ACTIVE; doubles each time. @default 500 */
  readonly pollIntervalMs?: number;
  /** Longest pause between polls. @default 5000 */
  readonly maxPollIntervalMs?: number;
  /** SDK retry configuration for every call; wins over the block's `max_attempts`. */
  readonly retryConfiguration?: common.RetryConfiguration;
  /** Tuning of the `oci.bds_api_key` calls (work request waits, page size). */
  readonly bds?: BdsOptions;
}

interface Configured {
  readonly name: string;
  readonly client: identity.IdentityClient;
  readonly creds: OciCredentials;
  readonly bds: LazyBdsApiKeys;
}

/** Adapter for OCI IAM API signing keys. Configure once, then list/create/delete. */
export class OciAdapter implements ProviderAdapter {
  readonly contractVersion = CONTRACT_VERSION;
  readonly #options: Required<Omit<OciAdapterOptions, 'retryConfiguration' | 'bds'>> & OciAdapterOptions;
  #state: Configured | undefined;

  constructor(options: OciAdapterOptions = {}) {
    this.#options = { activeTimeoutMs: 300_000, pollIntervalMs: 500, maxPollIntervalMs: 5_000, ...options };
  }

  /** Resolves credentials and builds the IdentityClient; the endpoint is set last (§5.2). */
  async configure(req: ConfigureRequest): Promise<void> {
    req.signal?.throwIfAborted();
    const creds = await resolveOciCredentials(req);
    const retryConfiguration = this.#options.retryConfiguration ?? retryConfigurationFor(creds.settings.maxAttempts, req.onRetry);
    let client: identity.IdentityClient;
    try {
      client = new identity.IdentityClient(
        { authenticationDetailsProvider: creds.auth },
        { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }), retryConfiguration },
      );
    } catch (err) {
      // The SDK parses the signing key here (sshpk); its messages name formats, not key bytes.
      throw new KeyplanError(`provider "${req.block.name}": the OCI SDK cannot use the signing key of ${creds.origin}`, {
        code: OCI_CODES.signingKeyUnusable,
        source: 'user',
        cause: err,
      });
    }
    // Setting region (done by the constructor) rewrites the endpoint, so this comes last.
    if (creds.endpoint !== undefined) client.endpoint = creds.endpoint;
    await this.close();
    // The BDS client shares the signer, endpoint and retry choice; built on first BDS call.
    const bds = lazyBdsApiKeys({ provider: req.block.name, auth: creds.auth, endpoint: creds.endpoint, retryConfiguration, options: this.#options.bds });
    this.#state = { name: req.block.name, client, creds, bds };
  }

  /** All keys of one user: exactly one ListApiKeys request, however many keys exist. */
  async list(req: ListRequest): Promise<ListResult> {
    const s = this.#configured();
    if (req.kind === BDS_API_KEY_KIND) return (await s.bds.get()).list(req);
    checkKind(req.kind);
    req.signal?.throwIfAborted();
    const items = await this.#listRaw(s, req.owner).catch((e: unknown) => {
      throw e instanceof ProviderError && e.statusCode === 404 ? userNotFound(e, { provider: s.name, user: req.owner, kind: req.kind }) : e;
    });
    const keys = items
      .map((k) => toLiveKey(k, { provider: s.name, owner: req.owner }))
      .filter((k): k is LiveKey => k !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id));
    return { keys };
  }

  /**
   * Generates a key pair, journals its fingerprint, uploads the public key and waits
   * until OCI reports it ACTIVE. All-or-nothing: a key that was uploaded but never got
   * ACTIVE is deleted again before the error is thrown.
   */
  async create(req: CreateRequest): Promise<CreateResult> {
    const s = this.#configured();
    const { key } = req;
    if (key.kind === BDS_API_KEY_KIND) return (await s.bds.get()).create(req);
    checkKind(key.kind);
    const bits = declaredBits(key);
    if (bits === undefined) {
      throw new KeyplanError(`key "${key.name}": unsupported bits ${JSON.stringify(key.attributes['bits'])}`, {
        code: OCI_CODES.unsupportedBits,
        source: 'user',
      });
    }
    req.signal?.throwIfAborted();
    const pair = await generateApiKeyPair({ bits, passphrase: req.passphrase });
    const fp = pair.fingerprint;
    req.signal?.throwIfAborted();
    await req.recordIntent(fp);
    // Journalled but not sent: an abort here leaves an intent the next plan finds empty.
    req.signal?.throwIfAborted();
    let uploaded: ApiKey;
    try {
      const res = await s.client.uploadApiKey({
        userId: key.owner,
        createApiKeyDetails: { key: pair.publicKeyPem },
        opcRetryToken: retryTokenFor(req.token, fp),
      });
      uploaded = res.apiKey;
    } catch (err) {
      uploaded = await recoverUpload(s.client, err, { provider: s.name, owner: key.owner, fingerprint: fp, key: key.name });
    }
    let live: LiveKey;
    try {
      live = await this.#waitActive(s, key.owner, fp, uploaded, req.signal);
    } catch (err) {
      const removed = await this.#deleteQuietly(s, key.owner, fp);
      if (removed || !(err instanceof ProviderError)) throw err;
      throw new ProviderError(`${err.message}; removing the uploaded key ${fp} failed too, the next plan will show it`, {
        provider: err.provider,
        operation: err.operation,
        key: key.name,
        retryable: false,
        cause: err,
      });
    }
    const { tenancy, region } = s.creds;
    return {
      live,
      material: {
        file: pair.privateKeyPem,
        secrets: { private_key: pair.privateKeyPem },
        values: { user: key.owner, fingerprint: fp, tenancy, region, key_id: `${tenancy}/${key.owner}/${fp}` },
      },
    };
  }

  /** Deletes a key; a key that is already gone counts as deleted. */
  async delete(req: DeleteRequest): Promise<void> {
    const s = this.#configured();
    if (req.kind === BDS_API_KEY_KIND) return (await s.bds.get()).delete(req);
    checkKind(req.kind);
    req.signal?.throwIfAborted();
    await req.recordIntent();
    try {
      await s.client.deleteApiKey({ userId: req.owner, fingerprint: req.id });
    } catch (err) {
      if (!isNotFound(err)) throw toProviderError(err, { provider: s.name, operation: 'DeleteApiKey', user: req.owner, refusedHint: s.creds.refusedHint });
      // OCI answers 404 NotAuthorizedOrNotFound for "not allowed" too; only call it gone
      // when a list (where permitted) no longer shows the key.
      const still = await this.#listRaw(s, req.owner).catch((e: unknown) => (e instanceof ProviderError && e.statusCode === 404 ? [] : Promise.reject(e)));
      if (still.some((k) => k.fingerprint?.toLowerCase() === req.id.toLowerCase() && k.lifecycleState !== 'DELETED')) {
        throw toProviderError(err, { provider: s.name, operation: 'DeleteApiKey', user: req.owner, refusedHint: s.creds.refusedHint });
      }
    }
  }

  /** One attempt to authenticate with a new key: signed ListApiKeys (verify.ts); BDS: its connection test. */
  async verify(req: VerifyRequest): Promise<VerifyResult> {
    const s = this.#configured();
    if (req.key.kind === BDS_API_KEY_KIND) return (await s.bds.get()).verify(req);
    checkKind(req.key.kind);
    const { live, material, passphrase, signal } = req;
    return verifyApiKey({ provider: s.name, creds: s.creds, live, privateKeyPem: material.file, passphrase, ...(signal === undefined ? {} : { signal }) });
  }

  /**
   * What `state show` prints beyond the state: the public key (ListApiKeys' keyValue) with
   * the user, fingerprint, tenancy and region of a config file; for a BDS key the user,
   * tenancy and region come from GetBdsApiKey and its public key from its user's IAM keys.
   */
  async describe(req: DescribeRequest): Promise<DescribeResult> {
    const s = this.#configured();
    if (req.kind !== BDS_API_KEY_KIND) checkKind(req.kind);
    const base = req.kind === BDS_API_KEY_KIND ? (await (await s.bds.get()).describe(req)).values : { user: req.owner, fingerprint: req.id.toLowerCase() };
    const values: Record<string, string> = { tenancy: s.creds.tenancy, region: s.creds.region, ...base };
    const user = values['user'];
    if (user === undefined || values['fingerprint'] === undefined) return { values };
    const listed = (await this.#listRaw(s, user)).find((k) => k.fingerprint?.toLowerCase() === values['fingerprint']);
    if (typeof listed?.keyValue === 'string') values['public_key'] = listed.keyValue;
    return { values };
  }

  /** Shuts the client down; the adapter must be configured again before further use. */
  async close(): Promise<void> {
    const s = this.#state;
    this.#state = undefined;
    s?.client.close();
    await s?.bds.close();
  }

  #configured(): Configured {
    if (this.#state === undefined) throw new InternalError('Expected the OCI adapter to be configured before use, got no configure() call');
    return this.#state;
  }

  async #listRaw(s: Configured, owner: string): Promise<ApiKey[]> {
    try {
      return (await s.client.listApiKeys({ userId: owner })).items;
    } catch (err) {
      throw toProviderError(err, { provider: s.name, operation: 'ListApiKeys', user: owner, refusedHint: s.creds.refusedHint });
    }
  }

  /** Polls ListApiKeys until `fp` is ACTIVE (see wait-active.ts), honouring `signal`. */
  async #waitActive(s: Configured, owner: string, fp: string, uploaded: ApiKey, signal?: AbortSignal): Promise<LiveKey> {
    const o = this.#options;
    const poll = async (): Promise<ApiKey | undefined> => (await this.#listRaw(s, owner)).find((k) => k.fingerprint?.toLowerCase() === fp);
    const res = await waitUntilActive(uploaded, poll, {
      timeoutMs: o.activeTimeoutMs,
      pollIntervalMs: o.pollIntervalMs,
      maxPollIntervalMs: o.maxPollIntervalMs,
      signal,
    });
    const live = res.ok ? toLiveKey(res.key, { provider: s.name, owner }) : undefined;
    if (live !== undefined) return live;
    const why = res.ok ? 'was reported ACTIVE without a fingerprint' : res.why;
    throw new ProviderError(`oci: UploadApiKey for user ${owner}: key ${fp} ${why}`, {
      provider: s.name,
      operation: 'UploadApiKey',
      retryable: !res.ok && res.retryable,
    });
  }

  /** Best-effort removal of a key create gave up on; true when it is gone. */
  async #deleteQuietly(s: Configured, owner: string, fp: string): Promise<boolean> {
    try {
      await s.client.deleteApiKey({ userId: owner, fingerprint: fp });
      return true;
    } catch (err) {
      return isNotFound(err);
    }
  }
}

function checkKind(kind: string): void {
  if (kind !== OCI_API_KEY_KIND) throw new InternalError(`Expected kind \`${OCI_API_KEY_KIND}\` for the oci adapter, got \`${kind}\``);
}

/** Registry factory for provider blocks of `type: oci`. */
export const createOciAdapter: AdapterFactory = async () => new OciAdapter();
