/**
 * The GitHub emulator's data: tokens and what they may touch, repositories with their
 * environments, organizations, one key pair per place, and the secrets, kept DECRYPTED
 * so tests can check what arrived (a test emulator: the store file has mode 0600, like
 * every emulator's). Owner, repository, environment and secret names compare
 * case-insensitively, as on GitHub; secret names are kept upper-case, as GitHub shows them.
 */
import { isRecord, JsonStore, type JsonStoreFormat } from '../shared/index.js';
import type { PutFailure } from './options.js';
import type { SecretScope } from './routes.js';
import type { StoredKeyPair } from './sealed-box.js';

/** What a token may do with a repository's or an organization's secrets. */
export type Access = 'read' | 'write';

/** A token's grants by target: `owner/repo` (its environments included), an organization, or `*` for everything. */
export type Grants = Readonly<Record<string, Access>>;

/** One secret as stored. */
export interface StoredSecret {
  /** Upper-case, as GitHub shows it. */
  readonly name: string;
  /** The decrypted value that arrived. */
  value: string;
  readonly createdAt: number;
  updatedAt: number;
  /** Organization secrets only. */
  visibility?: 'all' | 'private' | 'selected';
  selectedRepositoryIds?: number[];
}

/** A place secrets live in: its key pair and its secrets by upper-case name. */
export interface StoredPlace {
  key: StoredKeyPair;
  readonly secrets: Record<string, StoredSecret>;
}

/** The persisted document. */
export interface GithubStoreDocument {
  readonly formatVersion: 1;
  /** The sandbox's token, granted `*: write`, made on first start. */
  readonly bootstrapToken: string;
  readonly tokens: Record<string, { readonly grants: Grants }>;
  /** By lower-case `owner/repo`. */
  readonly repositories: Record<string, { readonly fullName: string; readonly place: StoredPlace; readonly environments: Record<string, StoredPlace> }>;
  /** By lower-case login. */
  readonly organizations: Record<string, StoredPlace>;
  /** Injected answers for the next PUTs, shared with other processes through the file. */
  putFailure?: PutFailure;
}

/** File name of the store inside the data folder. */
export const GITHUB_STORE_FILE = 'store.json';

const STORE_FORMAT: JsonStoreFormat<GithubStoreDocument> = {
  emulator: 'GitHub',
  file: GITHUB_STORE_FILE,
  check(doc, fail) {
    if (typeof doc['bootstrapToken'] !== 'string') fail('a string `bootstrapToken`');
    for (const field of ['tokens', 'repositories', 'organizations']) if (!isRecord(doc[field])) fail(`a \`${field}\` object`);
  },
};

const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** The target a grant names for a scope: the repository, or the organization. */
export function grantTarget(scope: SecretScope): string {
  return scope.kind === 'organization' ? scope.org.toLowerCase() : `${scope.owner}/${scope.repo}`.toLowerCase();
}

/** In-memory store with optional write-through to `<dataDir>/store.json`. */
export class GithubStore extends JsonStore<GithubStoreDocument> {
  readonly #newKey: () => StoredKeyPair;

  /** Loads the store from `dataDir` when it has one, else starts from `fresh()`; `newKey` makes each place's key pair. */
  constructor(dataDir: string | undefined, fresh: () => GithubStoreDocument, newKey: () => StoredKeyPair) {
    super(STORE_FORMAT, dataDir, fresh);
    this.#newKey = newKey;
  }

  get bootstrapToken(): string {
    return this.doc.bootstrapToken;
  }

  /** The grants of a token, or undefined for a token the store does not know. */
  grantsOf(token: string): Grants | undefined {
    return own(this.doc.tokens, token)?.grants;
  }

  /** Adds a token with its grants (no commit: callers commit after the whole mutation). */
  addToken(token: string, grants: Grants): void {
    this.doc.tokens[token] = { grants: Object.fromEntries(Object.entries(grants).map(([t, a]) => [t.toLowerCase(), a])) };
  }

  /** Adds a repository (`owner/repo`) and environments of it, keeping what exists. */
  ensureRepository(fullName: string, environments: readonly string[] = []): void {
    const key = fullName.toLowerCase();
    const repo = own(this.doc.repositories, key) ?? { fullName, place: this.#newPlace(), environments: {} };
    this.doc.repositories[key] = repo;
    for (const env of environments) repo.environments[env.toLowerCase()] ??= this.#newPlace();
  }

  /** Adds an organization, keeping it when it exists. */
  ensureOrganization(login: string): void {
    this.doc.organizations[login.toLowerCase()] ??= this.#newPlace();
  }

  /** Makes the scope exist (autoCreate). */
  ensure(scope: SecretScope): void {
    if (scope.kind === 'organization') this.ensureOrganization(scope.org);
    else this.ensureRepository(`${scope.owner}/${scope.repo}`, scope.kind === 'environment' ? [scope.environment] : []);
  }

  /** Whether the repository or organization of a scope exists (environments aside). */
  hasTarget(scope: SecretScope): boolean {
    return scope.kind === 'organization'
      ? own(this.doc.organizations, grantTarget(scope)) !== undefined
      : own(this.doc.repositories, grantTarget(scope)) !== undefined;
  }

  /** The place of a scope, or undefined when the repository, environment or organization does not exist. */
  place(scope: SecretScope): StoredPlace | undefined {
    if (scope.kind === 'organization') return own(this.doc.organizations, grantTarget(scope));
    const repo = own(this.doc.repositories, grantTarget(scope));
    if (repo === undefined || scope.kind === 'repository') return repo?.place;
    return own(repo.environments, scope.environment.toLowerCase());
  }

  /** Replaces a place's key pair, as GitHub may rotate it; boxes sealed for the old key no longer open. */
  rotateKey(place: StoredPlace): void {
    place.key = this.#newKey();
  }

  /** The injected PUT failure still pending, if any. */
  get putFailure(): PutFailure | undefined {
    return this.doc.putFailure;
  }

  set putFailure(failure: PutFailure | undefined) {
    if (failure === undefined || failure.count === 0) delete this.doc.putFailure;
    else this.doc.putFailure = failure;
  }

  #newPlace(): StoredPlace {
    return { key: this.#newKey(), secrets: {} };
  }
}
