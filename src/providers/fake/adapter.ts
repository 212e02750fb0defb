/**
 * The fake provider's adapter: a faithful ProviderAdapter over a shared `FakeCloud`. It
 * keeps every promise of the contract (list pages through to the end and returns no
 * secret, create journals before it mutates and is all-or-nothing, delete of a missing
 * key succeeds, update changes only updatable attributes), so engine tests that use it
 * exercise what real adapters do.
 */
import { InternalError } from '../../errors/errors.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import type { Attributes } from '../../model/desired.js';
import type { LiveKey } from '../../model/live.js';
import { Secret } from '../../model/secret.js';
import { registerSecretValue } from '../../log/logger.js';
import {
  CONTRACT_VERSION,
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
  type ValidateRequest,
  type VerifyRequest,
  type VerifyResult,
} from '../contract.js';
import { InjectedFailureError, type FakeCloud, type FakeStoredKey } from './cloud.js';
import { FAKE_TOKEN_KIND, fakeToken, validateFake } from './token.js';

interface Configured {
  /** The provider block's name: LiveKey.provider. */
  readonly name: string;
  readonly pageSize?: number;
}

/** A ProviderAdapter over a `FakeCloud`. */
export class FakeAdapter implements ProviderAdapter {
  readonly contractVersion = CONTRACT_VERSION;
  readonly #cloud: FakeCloud;
  #state: Configured | undefined;

  constructor(cloud: FakeCloud) {
    this.#cloud = cloud;
  }

  /** The same offline checks as the provider module. */
  validate(req: ValidateRequest): readonly Diagnostic[] {
    return validateFake(req);
  }

  /** Reads `page_size` from the block; the fake needs no credentials. */
  async configure(req: ConfigureRequest): Promise<void> {
    const pageSize = req.block.settings['page_size'];
    if (pageSize !== undefined && !(typeof pageSize === 'number' && Number.isInteger(pageSize) && pageSize > 0)) {
      throw new InternalError(`Expected page_size of provider "${req.block.name}" to be a positive integer, got ${JSON.stringify(pageSize)}`);
    }
    this.#state = { name: req.block.name, ...(pageSize !== undefined ? { pageSize } : {}) };
  }

  /** Every page of the owner's tokens, sorted by id. */
  async list(req: ListRequest): Promise<ListResult> {
    const s = this.#configured();
    checkKind(req.kind);
    const keys: LiveKey[] = [];
    let after: string | undefined;
    do {
      const page = await this.#cloud.listPage({
        kind: req.kind,
        owner: req.owner,
        ...(after !== undefined ? { after } : {}),
        ...(s.pageSize !== undefined ? { pageSize: s.pageSize } : {}),
        ...(req.signal !== undefined ? { signal: req.signal } : {}),
      });
      keys.push(...page.keys.map((k) => toLiveKey(s.name, k)));
      after = page.next;
    } while (after !== undefined);
    return { keys };
  }

  /**
   * Reserves the id, journals it, then creates. An answer that may have been lost after
   * the cloud acted is cleaned up (delete by the reserved id) before the throw.
   */
  async create(req: CreateRequest): Promise<CreateResult> {
    const s = this.#configured();
    const { key } = req;
    checkKind(key.kind);
    const id = this.#cloud.nextId();
    req.signal?.throwIfAborted();
    await req.recordIntent(id);
    req.signal?.throwIfAborted();
    const attributes: Attributes = { owner_name: key.owner, label: key.attributes['label'] ?? '' };
    let created: { readonly key: FakeStoredKey; readonly secret: string };
    try {
      created = await this.#cloud.create({ id, kind: key.kind, owner: key.owner, attributes, marker: key.name }, req.signal);
    } catch (error) {
      const crashed = error instanceof InjectedFailureError && error.when === 'after-mutation-crash';
      if (!crashed && mayHaveExecuted(error)) await this.#cloud.delete(key.owner, id);
      throw error;
    }
    // As real adapters do: the logger scrubs the value should it ever reach a log line.
    registerSecretValue(created.secret);
    const live = toLiveKey(s.name, created.key);
    const token = new Secret(created.secret);
    return {
      live,
      material: { file: token, secrets: { token }, values: { token_id: id, owner_name: key.owner, label: String(attributes['label']) } },
    };
  }

  /** Changes `label`; refuses (as a bug in keyplan) a change the kind does not allow in place. */
  async update(req: UpdateRequest): Promise<UpdateResult> {
    const s = this.#configured();
    checkKind(req.key.kind);
    const wrong = Object.keys(req.changes).filter((a) => !fakeToken.updatable.includes(a));
    if (wrong.length > 0)
      throw new InternalError(`Expected only updatable attributes (${fakeToken.updatable.join(', ')}) in an update, got ${wrong.join(', ')}`);
    const updated = await this.#cloud.update(req.live.owner, req.live.id, req.changes, req.signal);
    return { live: toLiveKey(s.name, updated) };
  }

  /** Journals, then deletes; a token already gone counts as deleted. */
  async delete(req: DeleteRequest): Promise<void> {
    this.#configured();
    checkKind(req.kind);
    req.signal?.throwIfAborted();
    await req.recordIntent();
    await this.#cloud.delete(req.owner, req.id, req.signal);
  }

  /** Authenticates with the new token (material `token`), as a consumer of the key would. */
  async verify(req: VerifyRequest): Promise<VerifyResult> {
    this.#configured();
    checkKind(req.live.kind);
    // A token read back from a `file` output arrives as the file material.
    const token = req.material.secrets['token'] ?? (req.material.file.reveal() !== '' ? req.material.file : undefined);
    if (token === undefined) return { outcome: 'rejected', reason: 'no token in the new key material' };
    const answer = await this.#cloud.authenticate(req.live.owner, req.live.id, token.reveal(), req.signal);
    return answer === 'authenticated' ? { outcome: 'authenticated' } : { outcome: 'rejected', reason: answer.reason };
  }

  /** Deactivates or reactivates a token; it keeps its slot either way. */
  async setActive(req: SetActiveRequest): Promise<void> {
    this.#configured();
    checkKind(req.kind);
    await this.#cloud.setActive(req.owner, req.id, req.active, req.signal);
  }

  /** Forgets the configuration. */
  async close(): Promise<void> {
    this.#state = undefined;
  }

  #configured(): Configured {
    if (this.#state === undefined) throw new InternalError('Expected the fake adapter to be configured before use, got no configure call');
    return this.#state;
  }
}

function toLiveKey(provider: string, k: FakeStoredKey): LiveKey {
  return {
    provider,
    kind: k.kind,
    owner: k.owner,
    id: k.id,
    status: k.active === false ? 'inactive' : 'active',
    createdAt: k.createdAt,
    attributes: k.attributes,
    ...(k.marker !== undefined ? { marker: k.marker } : {}),
  };
}

function checkKind(kind: string): void {
  if (kind !== FAKE_TOKEN_KIND) throw new InternalError(`Expected kind ${FAKE_TOKEN_KIND} for the fake provider, got ${kind}`);
}

/** A timeout or 5xx: the cloud may have acted before the answer was lost. */
function mayHaveExecuted(error: unknown): boolean {
  return error instanceof InjectedFailureError ? error.when !== 'before' || (error.statusCode ?? 0) >= 500 : false;
}
