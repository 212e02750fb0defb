/** What the providers report: live keys, never key material. */
import type { Attributes } from './desired.js';

/** Normalised lifecycle of a live key. */
export type LiveStatus = 'creating' | 'active' | 'inactive' | 'deleting' | 'failed';

/** The unit one adapter `list` call reads: all keys of one kind for one owner of one provider. */
export interface Scope {
  readonly provider: string;
  readonly kind: string;
  readonly owner: string;
}

/** One key as the provider reports it. */
export interface LiveKey {
  readonly provider: string;
  readonly kind: string;
  readonly owner: string;
  /** Stable id within provider + kind (e.g. a fingerprint or an access key id). */
  readonly id: string;
  readonly status: LiveStatus;
  /** RFC 3339, when the provider reports it. */
  readonly createdAt?: string;
  /** RFC 3339, for kinds whose keys expire. */
  readonly expiresAt?: string;
  /** Non-secret attributes as the provider reports them (e.g. user, fingerprint). */
  readonly attributes: Attributes;
  /** The keyplan key name recovered from a provider-side marker (tag, alias), if any. */
  readonly marker?: string;
}

/** Everything refresh read, for the scopes it was asked to read. */
export interface LiveSnapshot {
  /** Scopes that were read; a key absent from a read scope is known to be gone. */
  readonly scopes: readonly Scope[];
  /** Keys found, sorted by provider, kind, owner, id. */
  readonly keys: readonly LiveKey[];
}

/** `provider|kind|owner`, the map key used for scopes. */
export function scopeKey(scope: Scope): string {
  return `${scope.provider}|${scope.kind}|${scope.owner}`;
}
