/**
 * src/state: keyplan's state (which live key belongs to which declared name, rotation
 * bookkeeping, the journal of calls in flight), the backend-neutral store interface, the
 * local file backend with its lock file, and pure helpers that derive new states.
 *
 * This file holds the interface every backend implements (local now, postgres later), so
 * the engine and CLI depend on the contract and never on a backend.
 */
import type { Intent, KeyplanState, ManagedKey } from '../model/state.js';

/** What one apply step changed: the records it set (null: removed) and, when they changed, the intents after it. */
export interface StateStep {
  readonly keys: Readonly<Record<string, ManagedKey | null>>;
  readonly intents?: readonly Intent[];
}

/** Who holds the state lock and since when. Stored in the lock (file or row); never secret. */
export interface LockInfo {
  /** Random id; `keyplan force-unlock <id>` names the lock by it. */
  readonly id: string;
  /** The command that took the lock, e.g. `plan` or `apply`. */
  readonly operation: string;
  /** User name of the process that took it. */
  readonly who: string;
  readonly pid: number;
  readonly host: string;
  /** RFC 3339 time the lock was taken. */
  readonly created: string;
}

/** How `StateStore.lock` waits for a lock another run holds. */
export interface LockOptions {
  /** How long to wait for the holder to release the lock before failing; 0 fails at once. @default 0 */
  readonly timeoutMs?: number;
  /** Called once, when the lock is found held and the store starts waiting, with the holder. */
  readonly onWait?: (holder: LockInfo) => void;
}

/** Where keyplan's state lives. One instance per state location; the caller takes the lock before writing. */
export interface StateStore {
  /** Names the state for messages, e.g. `.keyplan/state.json` or `postgres state "keys"`; never holds a secret. */
  readonly description: string;
  /**
   * Takes the lock or throws StateLockError
   * "state is locked by USER@HOST (pid N, operation apply, since T); lock ID: X. If no keyplan run holds it, run: keyplan force-unlock X".
   * With `options.timeoutMs`, waits that long for the holder to release it first.
   */
  lock(operation: string, options?: LockOptions): Promise<LockInfo>;
  /** Releases the lock this run took. Throws if the lock is gone or has another id (someone force-unlocked it). */
  unlock(lockId: string): Promise<void>;
  /** Removes a lock whose id matches, regardless of holder. Throws if no lock or id differs. */
  forceUnlock(lockId: string): Promise<void>;
  /** Reads the state; a missing file gives a new empty state (fresh lineage uuid, serial 0) that is not written until the first write. */
  read(): Promise<KeyplanState>;
  /**
   * Writes state with serial+1 atomically (temp file in same dir, fsync file, rename, fsync dir), mode 0600.
   * Returns the written state. Refuses (throws) if lineage differs from what's on disk, or if the state on
   * disk has a higher serial than the one given (a write based on an outdated read would lose an update).
   */
  write(state: KeyplanState): Promise<KeyplanState>;
  /**
   * Records `steps`, made in order from `base` (the state this store last read or wrote) to
   * `after`, as serials `base.serial + 1` onwards, durably and at a cost that does not grow
   * with the number of keys. Returns `after` with its serial. Absent: the caller writes
   * each state whole with `write`.
   */
  writeSteps?(base: KeyplanState, steps: readonly StateStep[], after: KeyplanState): Promise<KeyplanState>;
  /**
   * Aborts, with a KeyplanError as its reason, when the store can no longer vouch for the
   * lock it took (a database connection lost); the engine then starts no further change.
   * Absent when the lock cannot be lost (the local lock file).
   */
  readonly lockLost?: AbortSignal;
  /** Releases what the store holds open (database connections); the store is not used afterwards. Does not unlock. */
  close(): Promise<void>;
}
