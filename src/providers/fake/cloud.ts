/**
 * The in-memory "cloud" behind the fake provider: tokens per owner, paged listing, a
 * per-owner quota, and failures tests inject. One `FakeCloud` is shared by every adapter
 * made from the same `createFakeProvider(cloud)`, so a test can seed keys, read the truth
 * behind an adapter's back and count the calls it made.
 */
import { randomBytes } from 'node:crypto';
import { ProviderError, type ProviderErrorOptions } from '../../errors/errors.js';
import type { Attributes } from '../../model/desired.js';

/** A call the cloud answers; each one counts in `calls` and can be made to fail. */
export type FakeOperation = 'list' | 'create' | 'update' | 'delete' | 'verify';

/**
 * When an injected failure strikes:
 * - `before`: the call fails having changed nothing.
 * - `after-mutation-lost-answer`: the change is made, then the answer is lost (a timeout
 *   after the provider acted). The fake adapter's create removes such a key again before
 *   it throws, as all-or-nothing requires.
 * - `after-mutation-crash`: as a lost answer, but the adapter's create throws without
 *   cleaning up, as if the run had died right after the provider acted. It breaks
 *   all-or-nothing on purpose, for tests of the journal's recovery.
 */
export type FailureTiming = 'before' | 'after-mutation-lost-answer' | 'after-mutation-crash';

/** One failure to inject with `failNext`. */
export interface InjectedFailure {
  /** @default 'before' */
  readonly when?: FailureTiming;
  /** `transient`: retryable (503); `fatal`: not retryable (400). @default 'fatal' */
  readonly error?: 'transient' | 'fatal';
  /** Calls of this operation to let through first (1 fails the second list page). @default 0 */
  readonly skip?: number;
}

/** One token as the cloud keeps it. The secret is kept apart, in `issuedSecrets`. */
export interface FakeStoredKey {
  readonly id: string;
  readonly kind: string;
  readonly owner: string;
  /** Declared attributes (`owner_name`, `label`) plus `token_id`. */
  readonly attributes: Attributes;
  /** The keyplan key name the token was created for (the provider-side tag). */
  readonly marker?: string;
  /** RFC 3339. */
  readonly createdAt: string;
  /** False once deactivated: the token keeps its slot but no longer authenticates. @default true */
  readonly active?: boolean;
}

/** One page of a listing. */
export interface FakePage {
  readonly keys: readonly FakeStoredKey[];
  /** Opaque; absent on the last page. */
  readonly next?: string;
}

/** What `listPage` reads. */
export interface FakeListPageRequest {
  readonly kind: string;
  readonly owner: string;
  /** Cursor: the `next` of the previous page. */
  readonly after?: string;
  /** @default the cloud's `pageSize` */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/** The error an injected failure throws; `when` tells the adapter what a real one could not know. */
export class InjectedFailureError extends ProviderError {
  readonly when: FailureTiming;

  constructor(message: string, when: FailureTiming, options: ProviderErrorOptions) {
    super(message, options);
    this.when = when;
  }
}

/** Settings of a `FakeCloud`. */
export interface FakeCloudOptions {
  /** Keys per list page; small, so adapters that read only the first page are caught. @default 2 */
  readonly pageSize?: number;
  /** Tokens one owner may hold, as `fake.token`'s KindSpec says. @default 5 */
  readonly perOwner?: number;
  /** Delay of every call, in milliseconds. @default 0 */
  readonly latencyMs?: number;
  /** Clock for `createdAt`. @default Date.now */
  readonly now?: () => number;
}

/** Fields a create stores; the cloud adds `token_id` and the timestamp. */
export interface FakeCreateInput {
  readonly id: string;
  readonly kind: string;
  readonly owner: string;
  readonly attributes: Attributes;
  readonly marker?: string;
}

interface PendingFailure extends Required<Omit<InjectedFailure, 'skip'>> {
  skip: number;
}

/** The shared in-memory store with fault injection. */
export class FakeCloud {
  /** Keys per list page. */
  pageSize: number;
  /** Delay of every call, in milliseconds; tests may change it between calls. */
  latencyMs: number;
  readonly perOwner: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, FakeStoredKey>();
  readonly #secrets: string[] = [];
  /** The secret of each stored key, by id: what `authenticate` checks a credential against. */
  readonly #secretOf = new Map<string, string>();
  /** Authentications of new credentials still to refuse before one succeeds; `Infinity`: never authenticates. */
  #rejections = 0;
  readonly #failures = new Map<FakeOperation, PendingFailure[]>();
  readonly #calls: Record<FakeOperation, number> = { list: 0, create: 0, update: 0, delete: 0, verify: 0 };
  #seq = 0;

  constructor(options: FakeCloudOptions = {}) {
    this.pageSize = options.pageSize ?? 2;
    this.perOwner = options.perOwner ?? 5;
    this.latencyMs = options.latencyMs ?? 0;
    this.#now = options.now ?? Date.now;
  }

  /** Calls made so far, per operation (each list page is one `list` call). */
  get calls(): Readonly<Record<FakeOperation, number>> {
    return { ...this.#calls };
  }

  /** Every secret value the cloud ever issued, for tests asserting none leaked. */
  get issuedSecrets(): readonly string[] {
    return [...this.#secrets];
  }

  /** Makes a later call of `op` fail; several queued failures strike in order. */
  failNext(op: FakeOperation, failure: InjectedFailure = {}): void {
    const queue = this.#failures.get(op) ?? [];
    queue.push({ when: failure.when ?? 'before', error: failure.error ?? 'fatal', skip: failure.skip ?? 0 });
    this.#failures.set(op, queue);
  }

  /** Injected failures of `op` that have not struck yet. */
  failuresLeft(op: FakeOperation): number {
    return this.#failures.get(op)?.length ?? 0;
  }

  /**
   * Makes the next `count` authentications answer 401, as a provider does while a new key
   * propagates; `'always'`: no credential authenticates any more (0 clears it).
   */
  rejectAuthentications(count: number | 'always'): void {
    this.#rejections = count === 'always' ? Number.POSITIVE_INFINITY : count;
  }

  /**
   * Authenticates with a token: `authenticated`, or the 401 reason (never the secret) when the
   * key is gone, inactive, the secret is wrong, or a rejection was asked for.
   */
  async authenticate(owner: string, id: string, secret: string, signal?: AbortSignal): Promise<'authenticated' | { readonly reason: string }> {
    await this.#enter('verify', signal);
    const failure = this.#strike('verify');
    if (failure) throw failureError('verify', failure);
    const key = this.#keys.get(id);
    if (key === undefined || key.owner !== owner) return { reason: `401 NotAuthenticated: token ${id} does not exist` };
    if (key.active === false) return { reason: `401 NotAuthenticated: token ${id} is inactive` };
    if (this.#secretOf.get(id) !== secret) return { reason: `401 NotAuthenticated: wrong secret for token ${id}` };
    if (this.#rejections > 0) {
      this.#rejections -= 1;
      return { reason: `401 NotAuthenticated: token ${id} is not accepted yet` };
    }
    return 'authenticated';
  }

  /** Drops every failure not yet struck. */
  clearFailures(): void {
    this.#failures.clear();
  }

  /** A fresh id, unique in this cloud; ids sort in creation order. */
  nextId(): string {
    this.#seq += 1;
    return `ftk-${String(this.#seq).padStart(6, '0')}`;
  }

  /** Every stored key, optionally of one owner, sorted by id. */
  keys(owner?: string): readonly FakeStoredKey[] {
    return [...this.#keys.values()].filter((k) => owner === undefined || k.owner === owner).sort(byId);
  }

  /** Puts a key into the cloud directly (a key made outside keyplan, or before a test). */
  seed(input: Omit<FakeCreateInput, 'id'> & { readonly id?: string }): FakeStoredKey {
    return this.#store({ ...input, id: input.id ?? this.nextId() }).key;
  }

  /** One page of `kind` keys of `owner`, after the key the cursor `after` names. */
  async listPage(req: FakeListPageRequest): Promise<FakePage> {
    await this.#enter('list', req.signal);
    const failure = this.#strike('list');
    if (failure) throw failureError('list', failure);
    const all = this.keys(req.owner).filter((k) => k.kind === req.kind && (req.after === undefined || k.id > req.after));
    const keys = all.slice(0, req.pageSize ?? this.pageSize);
    const last = keys.at(-1);
    return all.length > keys.length && last !== undefined ? { keys, next: last.id } : { keys };
  }

  /** Stores a new token and returns it with its secret; refuses past the quota or on a duplicate label. */
  async create(input: FakeCreateInput, signal?: AbortSignal): Promise<{ readonly key: FakeStoredKey; readonly secret: string }> {
    await this.#enter('create', signal);
    const failure = this.#strike('create');
    if (failure?.when === 'before') throw failureError('create', failure);
    const held = this.keys(input.owner).filter((k) => k.kind === input.kind);
    if (held.length >= this.perOwner) {
      throw new ProviderError(`fake: create for ${input.owner}: quota of ${this.perOwner} tokens reached`, {
        provider: 'fake',
        operation: 'create',
        retryable: false,
        statusCode: 409,
        serviceCode: 'QuotaExceeded',
      });
    }
    const label = input.attributes['label'];
    if (typeof label === 'string' && label !== '' && held.some((k) => k.attributes['label'] === label)) {
      throw new ProviderError(`fake: create for ${input.owner}: label "${label}" is taken`, {
        provider: 'fake',
        operation: 'create',
        retryable: false,
        statusCode: 409,
        serviceCode: 'LabelTaken',
      });
    }
    const created = this.#store(input);
    if (failure) throw failureError('create', failure);
    return created;
  }

  /** Changes attributes of a stored key; throws a not-retryable 404 when it is gone. */
  async update(owner: string, id: string, changes: Attributes, signal?: AbortSignal): Promise<FakeStoredKey> {
    await this.#enter('update', signal);
    const failure = this.#strike('update');
    if (failure?.when === 'before') throw failureError('update', failure);
    const current = this.#keys.get(id);
    if (current === undefined || current.owner !== owner) {
      throw new ProviderError(`fake: update: token ${id} of ${owner} does not exist`, {
        provider: 'fake',
        operation: 'update',
        retryable: false,
        statusCode: 404,
        serviceCode: 'NotFound',
      });
    }
    const updated = { ...current, attributes: { ...current.attributes, ...changes } };
    this.#keys.set(id, updated);
    if (failure) throw failureError('update', failure);
    return updated;
  }

  /** Deactivates or reactivates a stored key (an `update` for failure injection); a not-retryable 404 when it is gone. */
  async setActive(owner: string, id: string, active: boolean, signal?: AbortSignal): Promise<FakeStoredKey> {
    await this.#enter('update', signal);
    const failure = this.#strike('update');
    if (failure?.when === 'before') throw failureError('update', failure);
    const current = this.#keys.get(id);
    if (current === undefined || current.owner !== owner) {
      throw new ProviderError(`fake: setActive: token ${id} of ${owner} does not exist`, {
        provider: 'fake',
        operation: 'update',
        retryable: false,
        statusCode: 404,
        serviceCode: 'NotFound',
      });
    }
    const updated = { ...current, active };
    this.#keys.set(id, updated);
    if (failure) throw failureError('update', failure);
    return updated;
  }

  /** Removes a key; true when it existed. */
  async delete(owner: string, id: string, signal?: AbortSignal): Promise<boolean> {
    await this.#enter('delete', signal);
    const failure = this.#strike('delete');
    if (failure?.when === 'before') throw failureError('delete', failure);
    const existed = this.#keys.get(id)?.owner === owner;
    if (existed) {
      this.#keys.delete(id);
      this.#secretOf.delete(id);
    }
    if (failure) throw failureError('delete', failure);
    return existed;
  }

  #store(input: FakeCreateInput): { key: FakeStoredKey; secret: string } {
    const secret = `fks_${randomBytes(16).toString('hex')}`;
    const key: FakeStoredKey = {
      id: input.id,
      kind: input.kind,
      owner: input.owner,
      attributes: { ...input.attributes, token_id: input.id },
      ...(input.marker !== undefined ? { marker: input.marker } : {}),
      createdAt: new Date(this.#now()).toISOString(),
    };
    this.#keys.set(key.id, key);
    this.#secrets.push(secret);
    this.#secretOf.set(key.id, secret);
    return { key, secret };
  }

  async #enter(op: FakeOperation, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    this.#calls[op] += 1;
    if (this.latencyMs > 0) await delay(this.latencyMs, signal);
  }

  #strike(op: FakeOperation): PendingFailure | undefined {
    const queue = this.#failures.get(op);
    const first = queue?.[0];
    if (queue === undefined || first === undefined) return undefined;
    if (first.skip > 0) {
      first.skip -= 1;
      return undefined;
    }
    queue.shift();
    return first;
  }
}

function failureError(op: FakeOperation, f: PendingFailure): InjectedFailureError {
  const lost = f.when !== 'before';
  const transient = f.error === 'transient';
  const what = lost ? 'the answer was lost (injected)' : transient ? 'service unavailable (injected)' : 'request refused (injected)';
  return new InjectedFailureError(`fake: ${op}: ${what}`, f.when, {
    provider: 'fake',
    operation: op,
    retryable: transient,
    statusCode: lost ? 504 : transient ? 503 : 400,
    serviceCode: lost ? 'Timeout' : transient ? 'Unavailable' : 'Injected',
  });
}

function byId(a: FakeStoredKey, b: FakeStoredKey): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
