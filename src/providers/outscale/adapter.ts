/**
 * The `outscale` provider adapter for kind `outscale.access_key`: OUTSCALE access keys
 * through OAPI (ReadAccessKeys / CreateAccessKey / UpdateAccessKey / DeleteAccessKey),
 * hand-written over `fetch` because no OUTSCALE SDK is available (§A6).
 *
 * The SecretKey exists only in the CreateAccessKey answer; it goes straight into a
 * Secret and from there only to the outputs.
 */
import { InternalError, ProviderError } from '../../errors/errors.js';
import { Secret } from '../../model/secret.js';
import { registerSecretValue } from '../../log/logger.js';
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
  type SetActiveRequest,
  type UpdateRequest,
  type UpdateResult,
  type VerifyRequest,
  type VerifyResult,
} from '../contract.js';
import {
  formatOapiDate,
  markerTag,
  OUTSCALE_ACCESS_KEY_KIND,
  parseOapiDate,
  readAccessKeyObject,
  readSecretKey,
  toLiveKey,
  type WireAccessKey,
} from './access-key.js';
import { mayHaveExecuted, OapiClient, type OapiClientOptions } from './client.js';
import { resolveOutscaleCredentials, type OutscaleConnection } from './credentials.js';
import { desiredExpiry, desiredState, expiryUpdate } from './desired.js';
import { isUnknownUser, NOT_FOUND_CODES, userNotFound } from './errors.js';
import { KeyReader } from './key-reader.js';
import { userNameOf } from './owner.js';
import { secretKeyOf, verifyAccessKey } from './verify.js';

/** Tuning of an {@link OutscaleAdapter}: retries, timeouts and clock (tests shorten them). */
export type OutscaleAdapterOptions = OapiClientOptions;

interface Configured {
  readonly name: string;
  readonly conn: OutscaleConnection;
  readonly client: OapiClient;
  readonly reader: KeyReader;
}

/** Adapter for OUTSCALE access keys. Configure once, then list/create/update/delete. */
export class OutscaleAdapter implements ProviderAdapter {
  readonly contractVersion = CONTRACT_VERSION;
  readonly #options: OutscaleAdapterOptions;
  #state: Configured | undefined;

  constructor(options: OutscaleAdapterOptions = {}) {
    this.#options = options;
  }

  /** Resolves the credentials and endpoint; makes no request. */
  async configure(req: ConfigureRequest): Promise<void> {
    req.signal?.throwIfAborted();
    const conn = await resolveOutscaleCredentials(req);
    const client = new OapiClient(conn, req.block.name, { ...this.#options, ...(req.onRetry === undefined ? {} : { onRetry: req.onRetry }) });
    this.#state = { name: req.block.name, conn, client, reader: new KeyReader(client, req.block.name) };
  }

  /** Every key of one owner (an EIM user, or the caller): one ReadAccessKeys. */
  async list(req: ListRequest): Promise<ListResult> {
    const s = this.#configured();
    checkKind(req.kind);
    const userName = userNameOf(req.owner);
    const wire = await s.reader.all(userName, req.signal).catch((e: unknown) => {
      throw userName !== undefined && isUnknownUser(e) ? userNotFound(e, { provider: s.name, userName, kind: req.kind }) : e;
    });
    const keys = wire.map((k) => toLiveKey(k, { provider: s.name, ...(userName !== undefined ? { userName } : {}) }));
    return { keys: keys.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
  }

  /**
   * CreateAccessKey with the declared expiry and keyplan's marker Tag, then (state:
   * INACTIVE) UpdateAccessKey. All-or-nothing: a key that cannot be brought to the
   * declared state, or whose create answer was lost, is deleted again before the throw.
   */
  async create(req: CreateRequest): Promise<CreateResult> {
    const s = this.#configured();
    const { key } = req;
    checkKind(key.kind);
    const userName = userNameOf(key.owner);
    const expiresMs = desiredExpiry(key, this.#now());
    const tag = markerTag(key.name, req.token);
    req.signal?.throwIfAborted();
    // The id is only known afterwards; the attempt's Tag finds the key if this run dies.
    await req.recordIntent(undefined, { attribute: 'tag', value: tag });
    req.signal?.throwIfAborted();
    const body = {
      ...(userName !== undefined ? { UserName: userName } : {}),
      ...(expiresMs !== undefined ? { ExpirationDate: new Date(expiresMs).toISOString() } : {}),
      Tag: tag,
    };
    const call = { key: key.name, ...(userName !== undefined ? { userName } : {}), signal: req.signal };
    let answer: Readonly<Record<string, unknown>>;
    try {
      answer = await s.client.call('CreateAccessKey', body, { ...call, idempotent: false });
    } catch (error) {
      if (!mayHaveExecuted(error)) throw error;
      throw await this.#removeLost(s, error, userName, tag, key.name);
    }
    let created = readAccessKeyObject(answer, s.name, 'CreateAccessKey');
    const secret = readSecretKey(answer, s.name);
    registerSecretValue(secret);
    if (desiredState(key) === 'INACTIVE') {
      try {
        created = await this.#update(s, created, { State: 'INACTIVE', ...keepExpiry(created) }, call);
      } catch (error) {
        await this.#deleteKey(s, created.AccessKeyId, userName, req.signal).catch(() => undefined);
        throw error;
      }
    }
    const live = toLiveKey(created, { provider: s.name, ...(userName !== undefined ? { userName } : {}) });
    return { live, material: material(s.conn, created.AccessKeyId, secret) };
  }

  /** UpdateAccessKey for the declared state and expiry, always re-sending the expiry it keeps. */
  async update(req: UpdateRequest): Promise<UpdateResult> {
    const s = this.#configured();
    checkKind(req.key.kind);
    const userName = userNameOf(req.live.owner);
    const call = { key: req.key.name, ...(userName !== undefined ? { userName } : {}), signal: req.signal };
    const current = await s.reader.one(req.live.id, userName, req.signal);
    if (current === undefined) {
      throw new ProviderError(`outscale: UpdateAccessKey: access key ${req.live.id} of ${req.key.name} no longer exists; the next plan creates a new key`, {
        provider: s.name,
        operation: 'UpdateAccessKey',
        key: req.key.name,
        retryable: false,
      });
    }
    const fields = { State: desiredState(req.key), ...expiryUpdate(req.key, current, this.#now()) };
    const updated = await this.#update(s, current, fields, call);
    return { live: toLiveKey(updated, { provider: s.name, ...(userName !== undefined ? { userName } : {}) }) };
  }

  /** DeleteAccessKey; an EIM user's key is set INACTIVE first. A key already gone counts as deleted. */
  async delete(req: DeleteRequest): Promise<void> {
    const s = this.#configured();
    checkKind(req.kind);
    req.signal?.throwIfAborted();
    await req.recordIntent();
    await this.#deleteKey(s, req.id, userNameOf(req.owner), req.signal);
  }

  /** One attempt to authenticate with a new key: ReadAccessKeys signed with its AK/SK (verify.ts). */
  async verify(req: VerifyRequest): Promise<VerifyResult> {
    const s = this.#configured();
    checkKind(req.key.kind);
    const secretKey = secretKeyOf(req.material.secrets);
    if (secretKey === undefined) throw new InternalError(`Expected the material of key "${req.key.name}" to hold its secret key, got none`);
    const { signal } = req;
    return verifyAccessKey({
      provider: s.name,
      conn: s.conn,
      accessKeyId: req.live.id,
      secretKey,
      options: this.#options,
      key: req.key.name,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /**
   * UpdateAccessKey State INACTIVE or ACTIVE, re-sending the key's expiry (omitting it
   * would clear it, §A2). An INACTIVE key fails authentication and still holds one of the
   * user's 10 slots. A key already in the asked state is left alone.
   */
  async setActive(req: SetActiveRequest): Promise<void> {
    const s = this.#configured();
    checkKind(req.kind);
    const userName = userNameOf(req.owner);
    const current = await s.reader.one(req.id, userName, req.signal);
    const state = req.active ? 'ACTIVE' : 'INACTIVE';
    if (current === undefined) {
      throw new ProviderError(`outscale: UpdateAccessKey: access key ${req.id} no longer exists, so it cannot be made ${state}`, {
        provider: s.name,
        operation: 'UpdateAccessKey',
        retryable: false,
      });
    }
    if (current.State === state) return;
    const call = { ...(userName !== undefined ? { userName } : {}), signal: req.signal };
    await this.#update(s, current, { State: state, ...keepExpiry(current) }, call);
  }

  /** Forgets the connection; the adapter must be configured again before further use. */
  async close(): Promise<void> {
    this.#state = undefined;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #configured(): Configured {
    if (this.#state === undefined) throw new InternalError('Expected the OUTSCALE adapter to be configured before use, got no configure() call');
    return this.#state;
  }

  async #update(
    s: Configured,
    k: WireAccessKey,
    fields: Readonly<Record<string, unknown>>,
    call: { key?: string; userName?: string; signal?: AbortSignal },
  ): Promise<WireAccessKey> {
    const body = { AccessKeyId: k.AccessKeyId, ...(call.userName !== undefined ? { UserName: call.userName } : {}), ...fields };
    return readAccessKeyObject(await s.client.call('UpdateAccessKey', body, call), s.name, 'UpdateAccessKey');
  }

  async #deleteKey(s: Configured, id: string, userName: string | undefined, signal?: AbortSignal): Promise<void> {
    const call = { ...(userName !== undefined ? { userName } : {}), ...(signal !== undefined ? { signal } : {}) };
    if (userName !== undefined) {
      // EIM users' keys must be INACTIVE before DeleteAccessKey (§A2).
      const current = await s.reader.one(id, userName, signal);
      if (current === undefined) return;
      if (current.State === 'ACTIVE') await this.#update(s, current, { State: 'INACTIVE', ...keepExpiry(current) }, call);
    }
    try {
      await s.client.call('DeleteAccessKey', { AccessKeyId: id, ...(userName !== undefined ? { UserName: userName } : {}) }, call);
    } catch (error) {
      if (error instanceof ProviderError && error.serviceCode !== undefined && NOT_FOUND_CODES.has(error.serviceCode)) return;
      throw error;
    }
  }

  /**
   * After a CreateAccessKey whose answer never came: any key carrying this attempt's Tag
   * was made by it, and its secret is lost, so it is deleted. Returns the error to throw.
   */
  async #removeLost(s: Configured, error: unknown, userName: string | undefined, tag: string, name: string): Promise<unknown> {
    const base = error instanceof ProviderError ? error : undefined;
    try {
      const made = (await s.reader.all(userName)).filter((k) => k.Tag === tag);
      for (const k of made) await this.#deleteKey(s, k.AccessKeyId, userName);
      if (base === undefined || made.length === 0) return error;
      return new ProviderError(`${base.message}; the key it created anyway (${made.map((k) => k.AccessKeyId).join(', ')}) was deleted again`, {
        provider: s.name,
        operation: 'CreateAccessKey',
        key: name,
        retryable: true,
        cause: error,
        ...(base.statusCode !== undefined ? { statusCode: base.statusCode } : {}),
      });
    } catch {
      return new ProviderError(`${base?.message ?? String(error)}; whether a key was created is unknown; if one was, the next plan deletes it`, {
        provider: s.name,
        operation: 'CreateAccessKey',
        key: name,
        retryable: false,
        cause: error,
      });
    }
  }
}

/** The expiry field that keeps a key's current expiry through an UpdateAccessKey (omitting it clears it, §A2). */
function keepExpiry(k: WireAccessKey): Readonly<Record<string, unknown>> {
  const ms = parseOapiDate(k.ExpirationDate);
  return ms !== undefined ? { ExpirationDate: formatOapiDate(ms) } : {};
}

/** What the outputs receive: the JSON file, the secret key, and the non-secret values. */
function material(conn: OutscaleConnection, accessKey: string, secretKey: string): CreateResult['material'] {
  const endpoint: Record<string, string> = conn.customEndpoint ? { endpoint_api: conn.baseUrl } : {};
  const file = { access_key: accessKey, secret_key: secretKey, region: conn.region, ...endpoint };
  return {
    file: new Secret(`${JSON.stringify(file, null, 2)}\n`),
    secrets: { secret_key: new Secret(secretKey) },
    values: { access_key: accessKey, region: conn.region, ...endpoint },
  };
}

function checkKind(kind: string): void {
  if (kind !== OUTSCALE_ACCESS_KEY_KIND) throw new InternalError(`Expected kind \`${OUTSCALE_ACCESS_KEY_KIND}\` for the outscale adapter, got \`${kind}\``);
}

/** Registry factory for provider blocks of `type: outscale`. */
export const createOutscaleAdapter: AdapterFactory = async () => new OutscaleAdapter();
