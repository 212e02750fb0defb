/**
 * The Actions secrets routes of GitHub's REST API, for the three places a secret lives:
 * - repository: `/repos/{owner}/{repo}/actions/secrets[/public-key | /{secret_name}]`
 * - environment: `/repos/{owner}/{repo}/environments/{environment_name}/secrets[...]`
 * - organization: `/orgs/{org}/actions/secrets[...]`
 * `public-key` and the list answer GET; a secret answers GET, PUT and DELETE. GitHub
 * answers any other path or method with a plain 404, and so does the emulator.
 */
import { DOCS_BASE, GithubHttpError, notFound } from './errors.js';

/** Where a secret lives. Names are kept as sent; the store compares them case-insensitively. */
export type SecretScope =
  | { readonly kind: 'repository'; readonly owner: string; readonly repo: string }
  | { readonly kind: 'environment'; readonly owner: string; readonly repo: string; readonly environment: string }
  | { readonly kind: 'organization'; readonly org: string };

/** The operations served. */
export type SecretOperation = 'publicKey' | 'list' | 'get' | 'put' | 'delete';

/** A matched request. */
export interface Route {
  readonly op: SecretOperation;
  readonly scope: SecretScope;
  /** The secret's name as sent, for get, put and delete. */
  readonly name?: string;
  /** GitHub's documentation link of this operation, for error bodies. */
  readonly docs: string;
}

const ANCHORS: Readonly<Record<SecretOperation, Readonly<Record<SecretScope['kind'], string>>>> = {
  publicKey: { repository: 'get-a-repository-public-key', environment: 'get-an-environment-public-key', organization: 'get-an-organization-public-key' },
  list: { repository: 'list-repository-secrets', environment: 'list-environment-secrets', organization: 'list-organization-secrets' },
  get: { repository: 'get-a-repository-secret', environment: 'get-an-environment-secret', organization: 'get-an-organization-secret' },
  put: {
    repository: 'create-or-update-a-repository-secret',
    environment: 'create-or-update-an-environment-secret',
    organization: 'create-or-update-an-organization-secret',
  },
  delete: { repository: 'delete-a-repository-secret', environment: 'delete-an-environment-secret', organization: 'delete-an-organization-secret' },
};

function noRoute(method: string, path: string): GithubHttpError {
  return notFound('https://docs.github.com/rest', `no route ${method} ${path}`);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GithubHttpError(400, 'Problems parsing JSON', { detail: 'the request path is not valid percent-encoding' });
  }
}

/** The scope and the path segments after its `secrets`, or undefined when the path is not a secrets path. */
function scopeOf(parts: readonly string[]): { scope: SecretScope; rest: readonly string[] } | undefined {
  const [first, a, b, c, d, ...rest] = parts;
  if (first === 'orgs' && a !== undefined && a !== '' && b === 'actions' && c === 'secrets') {
    return { scope: { kind: 'organization', org: decode(a) }, rest: d === undefined ? [] : [d, ...rest] };
  }
  if (first !== 'repos' || a === undefined || a === '' || b === undefined || b === '') return undefined;
  if (c === 'actions' && d === 'secrets') return { scope: { kind: 'repository', owner: decode(a), repo: decode(b) }, rest };
  const [secrets, ...after] = rest;
  if (c === 'environments' && d !== undefined && d !== '' && secrets === 'secrets') {
    return { scope: { kind: 'environment', owner: decode(a), repo: decode(b), environment: decode(d) }, rest: after };
  }
  return undefined;
}

/** Matches method and raw URL to an operation, or throws GitHub's 404. */
export function matchRoute(method: string, rawUrl: string): Route {
  const url = new URL(rawUrl, 'http://emulator.invalid');
  const found = url.pathname.startsWith('/') ? scopeOf(url.pathname.slice(1).split('/')) : undefined;
  if (found === undefined) throw noRoute(method, url.pathname);
  const { scope, rest } = found;
  const at = (op: SecretOperation, name?: string): Route => ({
    op,
    scope,
    docs: `${DOCS_BASE}#${ANCHORS[op][scope.kind]}`,
    ...(name === undefined ? {} : { name }),
  });
  const [segment, ...extra] = rest;
  if (extra.length > 0) throw noRoute(method, url.pathname);
  if (segment === undefined) {
    if (method === 'GET') return at('list');
  } else if (segment === 'public-key') {
    if (method === 'GET') return at('publicKey');
  } else if (segment !== '') {
    const name = decode(segment);
    if (method === 'GET') return at('get', name);
    if (method === 'PUT') return at('put', name);
    if (method === 'DELETE') return at('delete', name);
  }
  throw noRoute(method, url.pathname);
}
