/**
 * src/emulators/github: an HTTP server of GitHub's Actions secrets REST API for the three
 * places a secret lives (repository, environment, organization): the public key of each
 * (`{key_id, key}`, a Curve25519 key in base64), create-or-update with a libsodium sealed
 * box (201 created, 204 updated), metadata without the value, list, delete; tokens with
 * the repositories and organizations they may read or write (401, 403, 404 as GitHub
 * answers them), GitHub's secret name rules and 422s; latency, random faults and an
 * injected status for the next N PUTs. Every PUT is decrypted with the place's private
 * key, so a test sees exactly what arrived (`secretValue`). What the REST reference
 * leaves open is an option marked [guess] (options.ts).
 *
 * Files: options (defaults and guesses), errors (bodies), routes, sealed-box, store,
 * handlers (the operations), server (GitHub's answers; the HTTP skeleton, store file and
 * fault dice are ../shared).
 */
import { randomBytes } from 'node:crypto';
import { checkPutFailure, resolveGithubOptions, type GithubEmulatorOptions } from './options.js';
import type { SecretScope } from './routes.js';
import { newKeyPair, sealedBoxReady } from './sealed-box.js';
import { startGithubServer, type GithubRequestLogEntry } from './server.js';
import { GithubStore, type Grants } from './store.js';

export type { GithubEmulatorOptions, PutFailure } from './options.js';
export type { GithubRequestLogEntry } from './server.js';
export type { Access, Grants } from './store.js';
export { secretNameProblem } from './handlers.js';

/** A place secrets live, as keys.yaml's `github_secret` output names it. */
export type GithubScope = { readonly repository: string; readonly environment?: string } | { readonly organization: string };

/** A running GitHub emulator. */
export interface GithubEmulator {
  /** `http://127.0.0.1:PORT`, the API root (what `https://api.github.com` is on GitHub). */
  readonly url: string;
  /** The token made on first start and kept in the data folder; it may write everywhere. */
  readonly bootstrapToken: string;
  /** Adds a repository (`owner/repo`) and environments of it; what exists is kept. */
  addRepository(fullName: string, options?: { readonly environments?: readonly string[] }): void;
  /** Adds an organization; an existing one is kept. */
  addOrganization(login: string): void;
  /** Makes a new token with these grants (`owner/repo`, an organization, or `*`) and returns it. */
  addToken(grants: Grants): string;
  /** The decrypted value of a secret as it arrived, or undefined when there is none. */
  secretValue(scope: GithubScope, name: string): string | undefined;
  /** The place's secret names, sorted (empty when the place does not exist). */
  secretNames(scope: GithubScope): readonly string[];
  /** The place's current key id (undefined when it does not exist). */
  keyId(scope: GithubScope): string | undefined;
  /** Gives the place a new key pair, as GitHub may; boxes sealed for the old key no longer open. */
  rotateKey(scope: GithubScope): void;
  /** Answers the next `count` PUTs with `status` and GitHub's body for it. */
  failNextPuts(count: number, status?: number): void;
  /** Served requests in order: method, path, status, operation (never headers or bodies). */
  readonly requestLog: readonly GithubRequestLogEntry[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** A token in the shape of GitHub's classic personal access tokens (`ghp_` and 36 characters). */
function mintToken(): string {
  return `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`;
}

/** The store's scope of a keys.yaml-shaped place. */
export function toSecretScope(scope: GithubScope): SecretScope {
  if ('organization' in scope) return { kind: 'organization', org: scope.organization };
  const [owner = '', repo = ''] = scope.repository.split('/');
  return scope.environment === undefined ? { kind: 'repository', owner, repo } : { kind: 'environment', owner, repo, environment: scope.environment };
}

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startGithubEmulator(options: GithubEmulatorOptions = {}): Promise<GithubEmulator> {
  const resolved = resolveGithubOptions(options);
  await sealedBoxReady();
  const store = new GithubStore(resolved.dataDir, () => freshDocument(), newKeyPair);
  if (!store.loaded) store.commit();
  if (resolved.failPuts !== undefined) {
    store.putFailure = resolved.failPuts;
    store.commit();
  }
  const log: GithubRequestLogEntry[] = [];
  const server = await startGithubServer({ store, options: resolved, log, baseUrl: '' });
  const placeOf = (scope: GithubScope) => {
    store.sync();
    return store.place(toSecretScope(scope));
  };

  return {
    url: server.url,
    bootstrapToken: store.bootstrapToken,
    addRepository(fullName, opts = {}) {
      if (!/^[^/\s]+\/[^/\s]+$/.test(fullName)) throw new TypeError(`Expected \`fullName\` to be owner/repo, got \`${fullName}\``);
      store.sync();
      store.ensureRepository(fullName, opts.environments ?? []);
      store.commit();
    },
    addOrganization(login) {
      store.sync();
      store.ensureOrganization(login);
      store.commit();
    },
    addToken(grants) {
      const token = mintToken();
      store.sync();
      store.addToken(token, grants);
      store.commit();
      return token;
    },
    secretValue: (scope, name) => placeOf(scope)?.secrets[name.toUpperCase()]?.value,
    secretNames: (scope) => Object.keys(placeOf(scope)?.secrets ?? {}).sort(),
    keyId: (scope) => placeOf(scope)?.key.keyId,
    rotateKey(scope) {
      const place = placeOf(scope);
      if (place === undefined) throw new TypeError(`Expected \`scope\` to name an existing place, got \`${JSON.stringify(scope)}\``);
      store.rotateKey(place);
      store.commit();
    },
    failNextPuts(count, status = 422) {
      store.sync();
      store.putFailure = checkPutFailure({ status, count });
      store.commit();
    },
    get requestLog() {
      return log;
    },
    close: server.close,
  };
}

function freshDocument() {
  const bootstrapToken = mintToken();
  return {
    formatVersion: 1 as const,
    bootstrapToken,
    tokens: { [bootstrapToken]: { grants: { '*': 'write' as const } } },
    repositories: {},
    organizations: {},
  };
}
