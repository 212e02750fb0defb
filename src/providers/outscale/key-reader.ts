/**
 * ReadAccessKeys for one owner: all keys, or one key by id. There is no pagination on
 * this call (§A1), and unknown ids in the filter give an empty list, not an error.
 */
import type { CallOptions, OapiClient } from './client.js';
import { readAccessKeyList, type WireAccessKey } from './access-key.js';

/** Reads keys through a configured client. */
export class KeyReader {
  readonly #client: OapiClient;
  readonly #provider: string;

  constructor(client: OapiClient, provider: string) {
    this.#client = client;
    this.#provider = provider;
  }

  /** Every key of `userName` (undefined: the caller's own). */
  async all(userName: string | undefined, signal?: AbortSignal): Promise<WireAccessKey[]> {
    return this.#read({}, userName, signal);
  }

  /** The key with this id, or undefined when it does not exist (any more). */
  async one(id: string, userName: string | undefined, signal?: AbortSignal): Promise<WireAccessKey | undefined> {
    const found = await this.#read({ Filters: { AccessKeyIds: [id] } }, userName, signal);
    // Filtered again: a gateway that ignored the filter must not make another key "this one".
    return found.find((k) => k.AccessKeyId === id);
  }

  async #read(extra: Readonly<Record<string, unknown>>, userName: string | undefined, signal?: AbortSignal): Promise<WireAccessKey[]> {
    // Built without a leading spread, which V8 makes slow: a refresh reads once per user.
    const body: Record<string, unknown> = Object.assign({}, extra);
    const options: { -readonly [F in keyof CallOptions]: CallOptions[F] } = {};
    if (userName !== undefined) {
      body['UserName'] = userName;
      options.userName = userName;
    }
    if (signal !== undefined) options.signal = signal;
    const answer = await this.#client.call('ReadAccessKeys', body, options);
    return readAccessKeyList(answer, this.#provider);
  }
}
