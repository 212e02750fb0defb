/**
 * The KV v2 operations of one mount. Each checks the caller's capability on the API path
 * first (create for a write to a path with no secret, update for one that has, as Vault's
 * existence check does), then acts on the store and commits. Handlers answer the
 * envelope's `data`, or 204 with no body, as Vault does for deletes and metadata writes.
 */
import { isRecord } from '../shared/index.js';
import { badRequest, notFound, permissionDenied, unsupportedOperation } from './errors.js';
import { destroy, emptySecret, metadataView, prune, softDelete, undelete, versionList, versionView, writeVersion } from './kv.js';
import type { ResolvedVaultOptions } from './options.js';
import { allows, type Capability } from './policy.js';
import type { Route } from './routes.js';
import type { SecretAddress, StoredToken, VaultStore } from './store.js';

/** What a handler answers: a status and the envelope's `data` (none for 204), or a `raw` body sent as is. */
export interface Reply {
  readonly status: number;
  readonly data?: unknown;
  /** A body without the envelope (`sys/health` answers its own shape). */
  readonly raw?: unknown;
}

/** Everything one KV request needs. */
export interface KvContext {
  readonly store: VaultStore;
  readonly options: ResolvedVaultOptions;
  readonly route: Extract<Route, { op: 'kv' }>;
  readonly method: string;
  /** '' for the root namespace. */
  readonly namespace: string;
  readonly caller: StoredToken;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  readonly now: number;
}

const NO_CONTENT: Reply = { status: 204 };

function require(ctx: KvContext, capability: Capability): void {
  if (ctx.caller.root) return;
  const policyPath = ctx.namespace === '' ? ctx.route.apiPath : `${ctx.namespace}/${ctx.route.apiPath}`;
  if (!allows(ctx.caller.rules, policyPath, capability)) {
    throw permissionDenied(`token ${ctx.caller.displayName} lacks ${capability} on ${policyPath}`);
  }
}

function addressOf(ctx: KvContext): SecretAddress {
  return { namespace: ctx.namespace, mount: ctx.route.mount.path, path: ctx.route.path };
}

function bodyObject(ctx: KvContext): Record<string, unknown> {
  if (ctx.body === undefined) return {};
  if (!isRecord(ctx.body)) throw badRequest('the request body must be a JSON object');
  return ctx.body;
}

function readData(ctx: KvContext): Reply {
  require(ctx, 'read');
  const secret = ctx.store.secret(addressOf(ctx));
  const asked = ctx.route.query.get('version');
  if (asked !== null && !/^\d+$/.test(asked)) throw badRequest('version must be an integer');
  const version = asked === null || asked === '0' ? (secret?.currentVersion ?? 0) : Number(asked);
  const stored = secret?.versions[String(version)];
  if (secret === undefined || stored === undefined) throw notFound('no such secret or version');
  if (stored.deletedAt !== null || stored.destroyed || stored.data === null) {
    if (ctx.options.deletedRead === 'empty') throw notFound('version deleted or destroyed');
    return { status: 404, data: { data: null, metadata: versionView(secret, version) } };
  }
  return { status: 200, data: { data: structuredClone(stored.data), metadata: versionView(secret, version) } };
}

function writeData(ctx: KvContext): Reply {
  const at = addressOf(ctx);
  const existing = ctx.store.secret(at);
  require(ctx, existing === undefined ? 'create' : 'update');
  const body = bodyObject(ctx);
  const data = body['data'];
  if (!isRecord(data)) throw badRequest('no data provided');
  const options = body['options'] ?? {};
  if (!isRecord(options)) throw badRequest('options must be an object');
  const rawCas = options['cas'];
  if (rawCas !== undefined && !(typeof rawCas === 'number' && Number.isInteger(rawCas) && rawCas >= 0)) throw badRequest('cas must be a non-negative integer');
  const secret = writeVersion(existing === undefined ? undefined : structuredClone(existing), data, rawCas, ctx.route.mount, ctx.now);
  ctx.store.putSecret(at, secret);
  ctx.store.commit();
  return { status: 200, data: versionView(secret, secret.currentVersion) };
}

function deleteLatest(ctx: KvContext): Reply {
  require(ctx, 'delete');
  const secret = ctx.store.secret(addressOf(ctx));
  if (secret === undefined || secret.currentVersion === 0) return NO_CONTENT;
  softDelete(secret, [secret.currentVersion], ctx.now);
  ctx.store.commit();
  return NO_CONTENT;
}

function listKeys(ctx: KvContext): Reply {
  require(ctx, 'list');
  const prefix = ctx.route.path === '' ? '' : `${ctx.route.path}/`;
  const keys = new Set<string>();
  for (const p of ctx.store.paths(ctx.namespace, ctx.route.mount.path)) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  if (keys.size === 0) throw notFound('nothing listed under the folder');
  return { status: 200, data: { keys: [...keys].sort() } };
}

function readMetadata(ctx: KvContext): Reply {
  require(ctx, 'read');
  const secret = ctx.store.secret(addressOf(ctx));
  if (secret === undefined) throw notFound('no such secret');
  return { status: 200, data: metadataView(secret) };
}

function writeMetadata(ctx: KvContext): Reply {
  const at = addressOf(ctx);
  const existing = ctx.store.secret(at);
  require(ctx, existing === undefined ? 'create' : 'update');
  const body = bodyObject(ctx);
  const secret = existing === undefined ? emptySecret(ctx.now) : structuredClone(existing);
  const max = body['max_versions'];
  if (max !== undefined) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) throw badRequest('max_versions must be a non-negative integer');
    secret.maxVersions = max;
  }
  const cas = body['cas_required'];
  if (cas !== undefined) {
    if (typeof cas !== 'boolean') throw badRequest('cas_required must be a boolean');
    secret.casRequired = cas;
  }
  const after = body['delete_version_after'];
  if (after !== undefined) {
    if (typeof after !== 'string') throw badRequest('delete_version_after must be a duration');
    secret.deleteVersionAfter = after;
  }
  const custom = body['custom_metadata'];
  if (custom !== undefined) {
    if (!isRecord(custom) || !Object.values(custom).every((v) => typeof v === 'string')) throw badRequest('custom_metadata must map names to strings');
    secret.customMetadata = custom as Record<string, string>;
  }
  secret.updatedAt = ctx.now;
  prune(secret, ctx.route.mount);
  ctx.store.putSecret(at, secret);
  ctx.store.commit();
  return NO_CONTENT;
}

function deleteMetadata(ctx: KvContext): Reply {
  require(ctx, 'delete');
  if (ctx.store.removeSecret(addressOf(ctx))) ctx.store.commit();
  return NO_CONTENT;
}

function versionsOperation(ctx: KvContext, apply: typeof softDelete): Reply {
  require(ctx, 'update');
  const versions = versionList(bodyObject(ctx));
  const secret = ctx.store.secret(addressOf(ctx));
  if (secret === undefined) return NO_CONTENT;
  apply(secret, versions, ctx.now);
  ctx.store.commit();
  return NO_CONTENT;
}

function readConfig(ctx: KvContext): Reply {
  require(ctx, 'read');
  const { maxVersions, casRequired } = ctx.route.mount;
  return { status: 200, data: { cas_required: casRequired, delete_version_after: '0s', max_versions: maxVersions } };
}

/** Serves one KV request. */
export function serveKv(ctx: KvContext): Reply {
  const { section, list } = ctx.route;
  const m = ctx.method;
  const write = m === 'POST' || m === 'PUT';
  if (section === 'data' && m === 'GET') return readData(ctx);
  if (section === 'data' && write) return writeData(ctx);
  if (section === 'data' && m === 'DELETE') return deleteLatest(ctx);
  if (section === 'metadata' && list) return listKeys(ctx);
  if (section === 'metadata' && m === 'GET') return readMetadata(ctx);
  if (section === 'metadata' && write) return writeMetadata(ctx);
  if (section === 'metadata' && m === 'DELETE') return deleteMetadata(ctx);
  if (section === 'delete' && write) return versionsOperation(ctx, softDelete);
  if (section === 'undelete' && write) return versionsOperation(ctx, undelete);
  if (section === 'destroy' && write) return versionsOperation(ctx, destroy);
  // [simplified] the mount's settings come from the emulator's options, so config is read-only here.
  if (section === 'config' && m === 'GET') return readConfig(ctx);
  throw unsupportedOperation();
}

/** True for a request that changes the store (what `failWrites` counts). */
export function isMutating(route: Route, method: string): boolean {
  return route.op === 'kv' && route.section !== 'config' && !route.list && method !== 'GET';
}
