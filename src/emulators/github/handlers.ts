/**
 * The Actions secrets operations: the public key, the list, a secret's metadata (never its
 * value: GitHub has no call that reads one back), create-or-update and delete. Access
 * follows GitHub: no or an unknown token is 401; a place the token may not see, or that
 * does not exist, is 404 (GitHub does not confirm that private repositories exist); a
 * token that may read but not write gets 403 on PUT and DELETE.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isRecord } from '../shared/index.js';
import { badCredentials, GithubHttpError, improperlyEncrypted, invalidRequest, notFound, requiresAuthentication } from './errors.js';
import type { ResolvedGithubOptions } from './options.js';
import type { Route, SecretScope } from './routes.js';
import { openSealedBox } from './sealed-box.js';
import { grantTarget, type Access, type GithubStore, type StoredPlace, type StoredSecret } from './store.js';

/** What a handler answers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

/** Everything one request needs. */
export interface OperationContext {
  readonly store: GithubStore;
  readonly options: ResolvedGithubOptions;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  readonly now: number;
  /** The emulator's base URL, for the links GitHub puts in bodies. */
  readonly baseUrl: string;
}

/** GitHub's secret name rules: letters, digits and `_`, not starting with a digit or `GITHUB_`. */
export function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) return 'only letters, digits and "_" are allowed';
  if (/^[0-9]/.test(name)) return 'must not start with a digit';
  if (/^GITHUB_/i.test(name)) return 'must not start with GITHUB_';
  return undefined;
}

/** The schema pattern GitHub checks `encrypted_value` against (it quotes it in the 422). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const VISIBILITIES = ['all', 'private', 'selected'] as const;

function tokenOf(headers: IncomingHttpHeaders): string {
  const header = headers['authorization'];
  if (header === undefined || header === '') throw requiresAuthentication();
  // GitHub takes both `Bearer <token>` and the older `token <token>`.
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header);
  if (match?.[1] === undefined) throw badCredentials('the Authorization header is not `Bearer <token>`');
  return match[1];
}

/** The place a request addresses, after the access checks (autoCreate makes it exist first). */
function placeFor(ctx: OperationContext, route: Route, need: Access): StoredPlace {
  const grants = ctx.store.grantsOf(tokenOf(ctx.headers));
  if (grants === undefined) throw badCredentials('unknown token');
  const access = grants['*'] ?? grants[grantTarget(route.scope)];
  if (access === undefined) throw notFound(route.docs, `the token has no grant for ${grantTarget(route.scope)}`);
  if (ctx.options.autoCreate && ctx.store.place(route.scope) === undefined) {
    ctx.store.ensure(route.scope);
    ctx.store.commit();
  }
  const place = ctx.store.place(route.scope);
  if (place === undefined) throw notFound(route.docs, `${describeScope(route.scope)} does not exist`);
  if (need === 'write' && access !== 'write')
    throw new GithubHttpError(403, ctx.options.forbiddenMessage, { docs: route.docs, detail: 'the token may only read' });
  return place;
}

/** `repository o/r`, `environment prod of o/r`, `organization o`: for log details. */
export function describeScope(scope: SecretScope): string {
  if (scope.kind === 'organization') return `organization ${scope.org}`;
  const repo = `${scope.owner}/${scope.repo}`;
  return scope.kind === 'repository' ? `repository ${repo}` : `environment ${scope.environment} of ${repo}`;
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds. */
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function metadata(ctx: OperationContext, route: Route, secret: StoredSecret): Record<string, unknown> {
  const body: Record<string, unknown> = { name: secret.name, created_at: iso(secret.createdAt), updated_at: iso(secret.updatedAt) };
  if (route.scope.kind !== 'organization') return body;
  body['visibility'] = secret.visibility ?? 'private';
  if (secret.visibility === 'selected') {
    body['selected_repositories_url'] = `${ctx.baseUrl}/orgs/${encodeURIComponent(route.scope.org)}/actions/secrets/${secret.name}/repositories`;
  }
  return body;
}

function secretOf(place: StoredPlace, route: Route): StoredSecret {
  const secret = place.secrets[(route.name ?? '').toUpperCase()];
  if (secret === undefined) throw notFound(route.docs, `no secret ${route.name ?? ''}`);
  return secret;
}

/** `GET .../secrets/public-key`: `{key_id, key}`. */
export function publicKey(ctx: OperationContext, route: Route): Reply {
  const { key } = placeFor(ctx, route, 'read');
  return { status: 200, body: { key_id: key.keyId, key: key.publicKey } };
}

/** `GET .../secrets?per_page&page`: `{total_count, secrets}` by name. */
export function listSecrets(ctx: OperationContext, route: Route, query: URLSearchParams): Reply {
  const place = placeFor(ctx, route, 'read');
  const all = Object.values(place.secrets).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const secrets = all.slice((page - 1) * perPage, page * perPage).map((s) => metadata(ctx, route, s));
  return { status: 200, body: { total_count: all.length, secrets } };
}

/** `GET .../secrets/{name}`: name and dates, never the value. */
export function getSecret(ctx: OperationContext, route: Route): Reply {
  return { status: 200, body: metadata(ctx, route, secretOf(placeFor(ctx, route, 'read'), route)) };
}

/** `DELETE .../secrets/{name}`: 204, or 404 when there is none. */
export function deleteSecret(ctx: OperationContext, route: Route): Reply {
  const place = placeFor(ctx, route, 'write');
  delete place.secrets[secretOf(place, route).name];
  ctx.store.commit();
  return { status: 204 };
}

/** `PUT .../secrets/{name} {encrypted_value, key_id[, visibility, selected_repository_ids]}`: 201 created, 204 updated. */
export function putSecret(ctx: OperationContext, route: Route): Reply {
  const place = placeFor(ctx, route, 'write');
  const name = route.name ?? '';
  const problem = secretNameProblem(name);
  if (problem !== undefined) throw new GithubHttpError(422, ctx.options.invalidNameMessage, { docs: route.docs, detail: `secret name ${name}: ${problem}` });
  if (!isRecord(ctx.body)) throw new GithubHttpError(400, 'Problems parsing JSON', { docs: route.docs, detail: 'the body is not a JSON object' });
  const body = ctx.body;
  const existing = place.secrets[name.toUpperCase()];
  const org = route.scope.kind === 'organization' ? orgSettings(body, route) : undefined;
  // [guess] An organization secret's visibility can change without a new value; every other PUT carries one.
  const needsValue = org === undefined || existing === undefined || body['encrypted_value'] !== undefined;
  const value = needsValue ? decrypted(ctx, route, place, body) : undefined;
  const now = ctx.now;
  const secret: StoredSecret = existing ?? { name: name.toUpperCase(), value: '', createdAt: now, updatedAt: now };
  if (value !== undefined) secret.value = value;
  secret.updatedAt = now;
  if (org !== undefined) {
    secret.visibility = org.visibility;
    if (org.selected === undefined) delete secret.selectedRepositoryIds;
    else secret.selectedRepositoryIds = org.selected;
  }
  place.secrets[secret.name] = secret;
  ctx.store.commit();
  return existing === undefined ? { status: 201, body: {} } : { status: 204 };
}

function decrypted(ctx: OperationContext, route: Route, place: StoredPlace, body: Record<string, unknown>): string {
  const encrypted = body['encrypted_value'];
  const keyId = body['key_id'];
  if (encrypted === undefined) throw invalidRequest(route.docs, '"encrypted_value" wasn\'t supplied.');
  if (typeof encrypted !== 'string' || !BASE64.test(encrypted)) {
    // GitHub quotes the value it refused; it is ciphertext (or garbage), never the secret itself.
    throw invalidRequest(route.docs, `${JSON.stringify(encrypted)} does not match ${String(BASE64)}.`);
  }
  if (keyId === undefined) throw invalidRequest(route.docs, '"key_id" wasn\'t supplied.');
  if (typeof keyId !== 'string') throw invalidRequest(route.docs, `For 'properties/key_id', ${JSON.stringify(keyId)} is not a string.`);
  if (ctx.options.rejectStaleKeyId && keyId !== place.key.keyId)
    throw improperlyEncrypted(route.docs, `key_id ${keyId} is not the current key ${place.key.keyId}`);
  const value = openSealedBox(encrypted, place.key);
  if (value === undefined) throw improperlyEncrypted(route.docs, 'the sealed box does not open with the key pair');
  return value;
}

function orgSettings(body: Record<string, unknown>, route: Route): { visibility: (typeof VISIBILITIES)[number]; selected?: number[] } {
  const visibility = body['visibility'];
  if (visibility === undefined) throw invalidRequest(route.docs, '"visibility" wasn\'t supplied.');
  const known = VISIBILITIES.find((v) => v === visibility);
  if (known === undefined) throw invalidRequest(route.docs, `${JSON.stringify(visibility)} is not a member of ${JSON.stringify(VISIBILITIES)}.`);
  const ids = body['selected_repository_ids'];
  if (ids === undefined) return { visibility: known };
  if (!Array.isArray(ids) || !ids.every((id): id is number => Number.isInteger(id))) {
    throw invalidRequest(route.docs, `For 'properties/selected_repository_ids', ${JSON.stringify(ids)} is not an array of integers.`);
  }
  if (known !== 'selected')
    throw new GithubHttpError(422, 'Validation Failed', { docs: route.docs, detail: 'selected_repository_ids without visibility selected' });
  return { visibility: known, selected: ids };
}
