/**
 * The few KV version 2 calls the `vault_kv` output makes, over fetch: read metadata, read
 * a version, write with check-and-set, destroy versions, delete metadata. The token
 * travels in `X-Vault-Token` only. A refusal becomes a VaultCallError carrying the status
 * and Vault's `errors` list; the caller turns it into words naming the address and path,
 * never the token.
 */
import type { Secret } from '../../model/secret.js';

// A Vault that does not answer within this is treated as unreachable, so an apply cannot hang.
const CALL_TIMEOUT_MS = 30_000;

/** What a failed call tells: the HTTP status (0 when Vault could not be reached) and Vault's messages. */
export class VaultCallError extends Error {
  readonly status: number;
  readonly errors: readonly string[];

  constructor(status: number, errors: readonly string[], message: string) {
    super(message);
    this.name = 'VaultCallError';
    this.status = status;
    this.errors = errors;
  }
}

/** The metadata of a secret, as far as the output needs it. */
export interface SecretMetadata {
  readonly currentVersion: number;
  /** Whether each version is readable (not soft-deleted, not destroyed), by number. */
  readonly live: ReadonlyMap<number, boolean>;
}

/** One version read back. */
export interface SecretVersion {
  readonly version: number;
  /** null when the version is deleted or destroyed. */
  readonly data: Readonly<Record<string, unknown>> | null;
}

/** Where the client talks to. */
export interface VaultClientOptions {
  /** Base URL without a trailing slash. */
  readonly address: string;
  readonly token: Secret;
  readonly namespace?: string;
  readonly mount: string;
  readonly path: string;
  readonly signal?: AbortSignal;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A KV v2 client bound to one secret. */
export class VaultKvClient {
  readonly #o: VaultClientOptions;

  constructor(options: VaultClientOptions) {
    this.#o = options;
  }

  #url(section: string, query = ''): string {
    const path = this.#o.path.split('/').map(encodeURIComponent).join('/');
    const mount = this.#o.mount.split('/').map(encodeURIComponent).join('/');
    return `${this.#o.address}/v1/${mount}/${section}/${path}${query}`;
  }

  async #call(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { 'X-Vault-Token': this.#o.token.reveal(), 'X-Vault-Request': 'true' };
    if (this.#o.namespace !== undefined) headers['X-Vault-Namespace'] = this.#o.namespace;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const timeout = AbortSignal.timeout(CALL_TIMEOUT_MS);
    const signal = this.#o.signal === undefined ? timeout : AbortSignal.any([this.#o.signal, timeout]);
    let res: Response;
    try {
      res = await fetch(url, { method, headers, signal, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      const why =
        this.#o.signal?.aborted === true
          ? 'interrupted'
          : timeout.aborted
            ? `no answer within ${CALL_TIMEOUT_MS / 1000}s`
            : err instanceof Error
              ? err.cause instanceof Error
                ? err.cause.message
                : err.message
              : String(err);
      throw new VaultCallError(0, [], why);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  #fail(status: number, json: unknown): VaultCallError {
    const errors = isRecord(json) && Array.isArray(json['errors']) ? json['errors'].map(String) : [];
    return new VaultCallError(status, errors, errors.length > 0 ? errors.join('; ') : `HTTP ${status}`);
  }

  /** The secret's metadata, or undefined when there is no secret at the path. */
  async readMetadata(): Promise<SecretMetadata | undefined> {
    const { status, json } = await this.#call('GET', this.#url('metadata'));
    if (status === 404 && isRecord(json) && Array.isArray(json['errors']) && json['errors'].length === 0) return undefined;
    if (status !== 200) throw this.#fail(status, json);
    const data = isRecord(json) && isRecord(json['data']) ? json['data'] : {};
    const versions = isRecord(data['versions']) ? data['versions'] : {};
    const live = new Map<number, boolean>();
    for (const [n, v] of Object.entries(versions)) {
      live.set(Number(n), isRecord(v) && (v['deletion_time'] === '' || v['deletion_time'] === undefined) && v['destroyed'] !== true);
    }
    return { currentVersion: typeof data['current_version'] === 'number' ? data['current_version'] : 0, live };
  }

  /** One version, or undefined when it does not exist (a deleted or destroyed one has `data: null`). */
  async readVersion(version: number): Promise<SecretVersion | undefined> {
    const { status, json } = await this.#call('GET', this.#url('data', `?version=${version}`));
    const data = isRecord(json) && isRecord(json['data']) ? json['data'] : undefined;
    const metadata = data !== undefined && isRecord(data['metadata']) ? data['metadata'] : undefined;
    // A deleted version answers 404 with its metadata; a missing one 404 with no data.
    if (status === 404 && metadata === undefined) return undefined;
    if (status !== 200 && status !== 404) throw this.#fail(status, json);
    const fields = data !== undefined && isRecord(data['data']) ? data['data'] : null;
    return { version: typeof metadata?.['version'] === 'number' ? metadata['version'] : version, data: status === 200 ? fields : null };
  }

  /** Writes a new version only if the current one is `cas` (0: only if there is no secret); returns its number. */
  async write(data: Readonly<Record<string, unknown>>, cas: number): Promise<number> {
    const { status, json } = await this.#call('POST', this.#url('data'), { options: { cas }, data });
    if (status !== 200) throw this.#fail(status, json);
    const version = isRecord(json) && isRecord(json['data']) ? json['data']['version'] : undefined;
    if (typeof version !== 'number') throw new VaultCallError(status, [], 'the answer to the write names no version');
    return version;
  }

  /** Removes the data of versions for good (their metadata stays). */
  async destroy(versions: readonly number[]): Promise<void> {
    const { status, json } = await this.#call('POST', this.#url('destroy'), { versions });
    if (status !== 204 && status !== 200) throw this.#fail(status, json);
  }

  /** Deletes the secret: every version and the metadata. */
  async deleteMetadata(): Promise<void> {
    const { status, json } = await this.#call('DELETE', this.#url('metadata'));
    if (status !== 204 && status !== 200) throw this.#fail(status, json);
  }
}
