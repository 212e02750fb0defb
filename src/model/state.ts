/**
 * keyplan's state: what the providers cannot tell. Which live key belongs to which
 * declared name, when keyplan created it, keys being retired after a rotation, and the
 * journal of mutating calls in flight. It holds no secrets.
 */
import type { Attributes } from './desired.js';

/** The version of the state document's shape. */
export const STATE_FORMAT_VERSION = 1;

/** One live key keyplan created or adopted. */
export interface KeyInstance {
  /** The live key's id (LiveKey.id). */
  readonly id: string;
  /** RFC 3339: when keyplan created (or adopted) it; rotation by age counts from here. */
  readonly createdAt: string;
  /**
   * The declared attributes the key was created with (a change to one that forces
   * replacement rotates the key), plus the computed ones the provider reported at creation
   * (e.g. the fingerprint), which some adapters reuse instead of reading them again.
   */
  readonly attributes: Attributes;
  /** RFC 3339: when keyplan proved the credential authenticates. */
  readonly verifiedAt?: string;
  /**
   * RFC 3339: when `keyplan rotation undo` made this (older) key current again. Rotation by
   * age counts from here, so the next apply does not at once redo the rotation just undone.
   */
  readonly restoredAt?: string;
}

/**
 * A key created by a rotation that has not authenticated yet: the old key stays `current`
 * and is not retiring until this one is verified.
 */
export interface PendingInstance extends KeyInstance {
  /** RFC 3339: since when keyplan has been waiting for it to authenticate. */
  readonly unverifiedSince: string;
  /** A short, non-secret reason the last verification failed (e.g. "401 NotAuthenticated after 2m"). */
  readonly verifyError?: string;
}

/** A replaced key kept alive for its overlap period, then (where the kind can) deactivated before it is deleted. */
export interface RetiringInstance extends KeyInstance {
  /** RFC 3339: the end of the overlap; from then on the next apply deactivates or deletes it. */
  readonly retireAfter: string;
  /** RFC 3339: when keyplan made it inactive (rotation.deactivate_for). */
  readonly deactivatedAt?: string;
  /** RFC 3339: the end of the deactivation period (`deactivatedAt + deactivate_for`); from then on the next apply deletes it. */
  readonly deleteAfter?: string;
}

/** A declared key's record. */
export interface ManagedKey {
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  readonly current: KeyInstance;
  /** A rotation's new key that has not authenticated yet. */
  readonly pending?: PendingInstance;
  readonly retiring: readonly RetiringInstance[];
}

/**
 * A mutating provider call that was started. Written (and made durable) before the call,
 * removed when the step's result is recorded, so a run that dies in between leaves a trace
 * the next plan acts on.
 */
export interface Intent {
  /** Unique id of this intent (also used as the idempotency token of the call). */
  readonly id: string;
  readonly operation: 'create' | 'delete';
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  /** The live id, where known before the call (a kind that computes its fingerprint locally). */
  readonly liveId?: string;
  /** For a create whose id is only known afterwards: the provider-side name it is found by (KindSpec.matchAttribute). */
  readonly match?: IntentMatch;
  /** RFC 3339. */
  readonly startedAt: string;
}

/** An attribute value that names a key within its owner (KindSpec.matchAttribute), e.g. `{attribute: 'alias', value: 'etl'}`. */
export interface IntentMatch {
  readonly attribute: string;
  readonly value: string;
}

/** The state document. */
export interface KeyplanState {
  readonly version: typeof STATE_FORMAT_VERSION;
  /** UUID fixed when the state is first created. */
  readonly lineage: string;
  /** Bumped on every write. */
  readonly serial: number;
  /** Managed keys by declared name. */
  readonly keys: Readonly<Record<string, ManagedKey>>;
  readonly intents: readonly Intent[];
}
