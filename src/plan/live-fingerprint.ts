/**
 * The fingerprint of a live snapshot, which a saved plan records so that `apply plan.kp`
 * can tell whether the provider side moved since the plan was made. Terraform's stale
 * check looks only at its own state (lineage/serial); keyplan's live keys come from the
 * providers on every run, so the world itself has to be fingerprinted.
 *
 * What goes in: every scope that was read and every key found there, with everything the
 * provider reports about it (id, status, creation and expiry times, attributes, marker),
 * in a canonical form (object keys sorted, lists sorted, no whitespace). Nothing of
 * keyplan's own goes in: no read time, no request ids. Alongside the overall hash, a
 * digest per key lets a refusal name exactly which keys differ. Pure.
 */
import { createHash } from 'node:crypto';
import { scopeKey, type LiveKey, type LiveSnapshot, type LiveStatus, type Scope } from '../model/live.js';

/** One live key as a saved plan remembers it: enough to name it, and a digest of the rest. */
export interface LiveKeyDigest {
  readonly provider: string;
  readonly kind: string;
  readonly owner: string;
  readonly id: string;
  readonly status: LiveStatus;
  readonly expiresAt?: string;
  /** The declared name the state gave this key when the plan was made (for messages; not part of the digest). */
  readonly name?: string;
  /** `sha256:<hex>` of the key's canonical form. */
  readonly digest: string;
}

/** What a saved plan records about the live snapshot it was computed from. */
export interface LiveFingerprint {
  /** `sha256:<hex>` over the canonical scopes and keys. */
  readonly sha256: string;
  /** The scopes that were read, sorted. */
  readonly scopes: readonly Scope[];
  /** Every key found in them, sorted by scope and id. */
  readonly keys: readonly LiveKeyDigest[];
}

/** JSON with object keys sorted at every level and `undefined` members dropped; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compare(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Fingerprints a live snapshot. The same provider-side facts always give the same result, in any order. */
export function fingerprintLive(live: LiveSnapshot): LiveFingerprint {
  const scopes = [...live.scopes].map((s) => ({ provider: s.provider, kind: s.kind, owner: s.owner })).sort((a, b) => compare(scopeKey(a), scopeKey(b)));
  const keys = [...live.keys].sort((a, b) => compare(keyAddress(a), keyAddress(b))).map(digestOf);
  const canonical = canonicalJson({ scopes, keys: keys.map((k) => [keyAddress(k), k.digest]) });
  return { sha256: sha256(canonical), scopes, keys };
}

/** One difference between two fingerprints, in words a reviewer understands. */
export interface LiveDifference {
  readonly provider: string;
  readonly kind: string;
  readonly owner: string;
  /** The key's id; absent for a difference in the scopes read. */
  readonly id?: string;
  readonly change: 'deleted' | 'appeared' | 'changed' | 'scope_added' | 'scope_removed';
  /** e.g. `status active → inactive`; empty when only the digest tells. */
  readonly detail: string;
}

/** What differs between the snapshot a plan recorded (`before`) and the one read now (`after`), sorted. */
export function diffFingerprints(before: LiveFingerprint, after: LiveFingerprint): LiveDifference[] {
  if (before.sha256 === after.sha256) return [];
  const out: LiveDifference[] = [];
  const beforeScopes = new Set(before.scopes.map(scopeKey));
  const afterScopes = new Set(after.scopes.map(scopeKey));
  for (const s of before.scopes) if (!afterScopes.has(scopeKey(s))) out.push({ ...pickScope(s), change: 'scope_removed', detail: '' });
  for (const s of after.scopes) if (!beforeScopes.has(scopeKey(s))) out.push({ ...pickScope(s), change: 'scope_added', detail: '' });
  const then = new Map(before.keys.map((k) => [keyAddress(k), k]));
  const now = new Map(after.keys.map((k) => [keyAddress(k), k]));
  for (const [address, k] of then) {
    const current = now.get(address);
    if (current === undefined) out.push({ ...pickScope(k), id: k.id, change: 'deleted', detail: '' });
    else if (current.digest !== k.digest) out.push({ ...pickScope(k), id: k.id, change: 'changed', detail: describeChange(k, current) });
  }
  for (const [address, k] of now) if (!then.has(address)) out.push({ ...pickScope(k), id: k.id, change: 'appeared', detail: '' });
  return out.sort((a, b) => compare(`${scopeKey(a)}|${a.id ?? ''}`, `${scopeKey(b)}|${b.id ?? ''}`));
}

function digestOf(key: LiveKey): LiveKeyDigest {
  const canonical = canonicalJson({
    provider: key.provider,
    kind: key.kind,
    owner: key.owner,
    id: key.id,
    status: key.status,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    attributes: key.attributes,
    marker: key.marker,
  });
  return {
    provider: key.provider,
    kind: key.kind,
    owner: key.owner,
    id: key.id,
    status: key.status,
    ...(key.expiresAt === undefined ? {} : { expiresAt: key.expiresAt }),
    digest: sha256(canonical),
  };
}

/** Names the visible part of a change; the digest covers attributes the summary does not carry. */
function describeChange(before: LiveKeyDigest, after: LiveKeyDigest): string {
  const parts: string[] = [];
  if (before.status !== after.status) parts.push(`status ${before.status} → ${after.status}`);
  if (before.expiresAt !== after.expiresAt) parts.push(`expiry ${before.expiresAt ?? 'none'} → ${after.expiresAt ?? 'none'}`);
  return parts.length > 0 ? parts.join(', ') : 'attributes changed';
}

function pickScope(s: Scope): Scope {
  return { provider: s.provider, kind: s.kind, owner: s.owner };
}

function keyAddress(k: Scope & { readonly id: string }): string {
  return `${scopeKey(k)}|${k.id}`;
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

// Code-unit order, not locale: every machine must compute the same fingerprint.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
