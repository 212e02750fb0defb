/**
 * What every BDS operation needs besides the Identity operation context, and the lookups
 * they share: who may act (the tenancy administrator, on any cluster), which cluster a
 * path names, which key. Unknown things and foreign callers get the same 404, as in
 * Identity, so answers do not reveal what exists.
 */
import { OciHttpError, invalidParameter, notAuthorizedOrNotFound } from '../errors.js';
import type { OperationContext } from '../handlers.js';
import type { BdsDocument, BdsKeyRecord, ClusterRecord } from './document.js';
import { isClusterOcid } from './ids.js';

/** An authenticated BDS request. */
export interface BdsContext extends OperationContext {
  /** Draws in [0, 1) deciding which work requests an injected fault fails. */
  readonly random: () => number;
}

/** The store's BDS document (re-read after every await: a sync may replace it). */
export function bdsDoc(ctx: BdsContext): BdsDocument {
  return ctx.store.bds;
}

/**
 * Only the tenancy administrator may manage BDS keys here: the emulator has no IAM
 * policies, and a user without a BDS policy sees 404 on the real service.
 */
export function requireAdmin(ctx: BdsContext): void {
  if (ctx.caller.user !== ctx.store.adminUser) throw notAuthorizedOrNotFound('caller has no BDS policy (only the tenancy admin does)');
}

/** The cluster `bdsId` names, undefined for an auto-created one nobody used yet; 404 when unknown. */
export function lookupCluster(ctx: BdsContext, bdsId: string): ClusterRecord | undefined {
  requireAdmin(ctx);
  const existing = bdsDoc(ctx).clusters[bdsId];
  if (existing !== undefined) return existing;
  if (ctx.options.bds.autoCreateClusters && isClusterOcid(bdsId)) return undefined;
  throw notAuthorizedOrNotFound('unknown BDS cluster');
}

/** The cluster `bdsId` names, adding an auto-created one to the store (the caller commits). */
export function ensureCluster(ctx: BdsContext, bdsId: string): ClusterRecord {
  const found = lookupCluster(ctx, bdsId);
  if (found !== undefined) return found;
  const created: ClusterRecord = { compartmentId: ctx.store.tenancy, timeCreated: new Date(ctx.now).toISOString(), keys: [] };
  bdsDoc(ctx).clusters[bdsId] = created;
  return created;
}

/** The key `keyId` of the cluster, or 404. */
export function lookupKey(ctx: BdsContext, bdsId: string, keyId: string): BdsKeyRecord {
  const key = lookupCluster(ctx, bdsId)?.keys.find((k) => k.id === keyId);
  if (key === undefined) throw notAuthorizedOrNotFound('unknown BDS API key');
  return key;
}

/** True when `userId` is a user of the tenancy (or would be, with autoCreateUsers). */
export function userExists(ctx: BdsContext, userId: string): boolean {
  return ctx.store.hasUser(userId) || (ctx.options.autoCreateUsers && userId.startsWith('ocid1.user.'));
}

/** Reads a JSON object body; 400 CannotParseRequest otherwise. */
export function jsonObjectBody(ctx: BdsContext): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.request.body.toString('utf8'));
  } catch {
    throw new OciHttpError(400, 'CannotParseRequest', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OciHttpError(400, 'CannotParseRequest', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * A string member of a request body: 400 MissingParameter when required and absent,
 * 400 InvalidParameter when not a string. Messages name the field, never its value
 * (the value may be a passphrase).
 */
export function stringField(body: Record<string, unknown>, name: string, required: true): string;
export function stringField(body: Record<string, unknown>, name: string, required: false): string | undefined;
export function stringField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new OciHttpError(400, 'MissingParameter', `Missing parameter: ${name}.`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidParameter(`${name} must be a string.`);
  return v;
}

/** A request header's first value. */
export function headerOf(ctx: BdsContext, name: string): string | undefined {
  const v = ctx.request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
