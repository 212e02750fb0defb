/**
 * The `postgres` state backend: one state (by name) in the `keyplan` schema of a database
 * several runners share. Each store holds ONE dedicated connection for the whole run: the
 * state lock is a session-level advisory lock on it, so a runner that dies (its connection
 * closes) releases the lock by itself, and a lock row beside it says who holds it. Writes
 * go through the same connection, each one transaction touching only the rows it changes.
 *
 * When the connection is lost while the lock is held, `lockLost` aborts (the engine starts
 * no further change) and a write in flight is retried on a new connection, after taking
 * the advisory lock again and checking no other run took the state meanwhile; one that
 * cannot be recorded fails its step, and the journal lets the next run repair it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { InternalError, KeyplanError, StateLockError } from '../../errors/errors.js';
import { logger } from '../../log/logger.js';
import type { KeyplanState, ManagedKey } from '../../model/state.js';
import { STATE_CODES } from '../codes.js';
import { lockHeldMessage } from '../lock-holder.js';
import { newState } from '../state-document.js';
import type { StateRuleOptions } from '../state-rules.js';
import type { LockInfo, LockOptions, StateStep, StateStore } from '../store.js';
import { clientConfig, databaseError, isConnectionError, reasonOf, type PostgresTarget } from './connection.js';
import { diffStates, type RowChanges } from './diff.js';
import { acquireLockRow, forceUnlockRow, lockKey, releaseLockRow, retakeLock } from './lock-row.js';
import { clearRows, readHead, readStoredState, writeRows, type StateHead } from './rows.js';
import { ensureSchema } from './schema.js';
import { recordsAfter, stepChanges } from './steps.js';
import { LiveKeyOwners } from './write-check.js';

/** Settings of a PostgresStateStore. */
export interface PostgresStoreOptions {
  /** The state's name in the database (`state.name`). */
  readonly name: string;
  readonly target: PostgresTarget;
  /** What a state read or written must agree with (the kinds this keyplan knows). @default {} */
  readonly rules?: StateRuleOptions;
  /** Attempts of a state write whose connection is lost, each on a new connection. @default 3 */
  readonly writeAttempts?: number;
  /** Pause between attempts to take a held lock while waiting for it. @default 500 */
  readonly lockPollMs?: number;
}

/** State in PostgreSQL rows, locked by a session-level advisory lock. */
export class PostgresStateStore implements StateStore {
  /** `postgres state "NAME"`, for messages; never the URL. */
  readonly description: string;
  /** The state's name in the database. */
  readonly name: string;
  readonly #target: PostgresTarget;
  readonly #rules: StateRuleOptions;
  readonly #attempts: number;
  readonly #pollMs: number;
  readonly #key: readonly [number, number];
  readonly #lost = new AbortController();
  #client: pg.Client | undefined;
  #schemaReady = false;
  #held: LockInfo | undefined;
  /** Whether the current connection holds the advisory lock (false after it was lost until taken again). */
  #locked = false;
  /** The state as stored after this store's last read or write (undefined: nothing stored). */
  #base: KeyplanState | undefined;
  #ordinals: ReadonlyMap<string, number> = new Map();
  #owners = new LiveKeyOwners();
  /** `#base`'s records when this store owns them (after step writes), changed in place by the next one. */
  #owned: Record<string, ManagedKey> | undefined;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: PostgresStoreOptions) {
    this.name = options.name;
    this.description = `postgres state "${options.name}"`;
    this.#target = options.target;
    this.#rules = options.rules ?? {};
    this.#attempts = options.writeAttempts ?? 3;
    this.#pollMs = options.lockPollMs ?? 500;
    this.#key = lockKey(options.name);
  }

  /** Aborts, with a KeyplanError as reason, when the connection holding the lock is lost. */
  get lockLost(): AbortSignal {
    return this.#lost.signal;
  }

  async lock(operation: string, options: LockOptions = {}): Promise<LockInfo> {
    const deadline = Date.now() + (options.timeoutMs ?? 0);
    // A new holder writes its row right after taking the advisory lock: give it a moment to appear.
    const rowGrace = Date.now() + 2_000;
    let told = false;
    for (;;) {
      const client = await this.#session();
      const outcome = await this.#guard(client, 'cannot take the state lock', () => acquireLockRow(client, this.name, this.#key, operation));
      if (outcome.kind === 'taken') {
        if (outcome.replaced) logger().debug('replaced a stale state lock row', { state: this.name, staleLockId: outcome.replaced.id });
        this.#held = outcome.info;
        this.#locked = true;
        return outcome.info;
      }
      const left = deadline - Date.now();
      if (outcome.holder === undefined && left <= 0 && Date.now() < rowGrace) {
        await sleep(25);
        continue;
      }
      if (left <= 0) throw heldError(outcome.holder, this.description);
      if (!told && outcome.holder !== undefined) {
        told = true;
        options.onWait?.(outcome.holder);
      }
      await sleep(Math.min(this.#pollMs, left));
    }
  }

  async unlock(lockId: string): Promise<void> {
    if (this.#held?.id !== lockId) {
      throw new KeyplanError(`cannot unlock ${this.description}: lock ${lockId} is not held by this run`, { code: STATE_CODES.unlockRefused, source: 'user' });
    }
    this.#held = undefined;
    const locked = this.#locked;
    this.#locked = false;
    try {
      // After a lost connection the advisory lock went with it; only our lock row may be left.
      const client = await this.#session();
      await releaseLockRow(client, this.name, lockId, locked ? this.#key : undefined);
    } catch (error) {
      if (!isConnectionError(error) && !(error instanceof LostConnectionError)) {
        throw databaseError(`${this.description}: cannot release the state lock`, error, this.#target);
      }
      // The session is gone, and the advisory lock with it; the next run replaces the row.
      logger().debug('state lock released with its lost connection', { state: this.name, reason: reasonOf(error, this.#target) });
    }
  }

  async forceUnlock(lockId: string): Promise<void> {
    const client = await this.#session();
    const problem = await this.#guard(client, 'cannot force-unlock the state', () => forceUnlockRow(client, this.name, this.#key, lockId));
    if (problem !== undefined)
      throw new KeyplanError(`cannot force-unlock ${this.description}: ${problem}`, { code: STATE_CODES.unlockRefused, source: 'user' });
  }

  async read(): Promise<KeyplanState> {
    const client = await this.#session();
    const stored = await this.#exclusive(() =>
      this.#guard(client, 'cannot read the state', () => readStoredState(client, this.name, this.description, this.#rules)),
    );
    this.#base = stored?.state;
    this.#owned = undefined;
    this.#ordinals = stored?.ordinals ?? new Map();
    this.#owners = new LiveKeyOwners(stored?.state);
    return stored?.state ?? newState();
  }

  write(next: KeyplanState): Promise<KeyplanState> {
    return this.#write(next, undefined);
  }

  /** The steps of a batch in one transaction, its rows from the steps (steps.ts); serials `base.serial + 1` onwards. */
  writeSteps(base: KeyplanState, steps: readonly StateStep[], after: KeyplanState): Promise<KeyplanState> {
    return this.#write({ ...after, serial: base.serial }, steps);
  }

  /** A write of `next` (whole, or made by `steps`), retried on a new connection when one is lost. */
  async #write(next: KeyplanState, steps: readonly StateStep[] | undefined): Promise<KeyplanState> {
    const writeId = randomUUID();
    const progress: { planned?: PlannedWrite } = {};
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#exclusive(async () => this.#writeOnce(await this.#sessionForWrite(), next, steps, writeId, progress));
      } catch (error) {
        const retryable = error instanceof LostConnectionError || (!(error instanceof KeyplanError) && isConnectionError(error));
        if (!retryable || attempt >= this.#attempts) {
          if (retryable) {
            const reason = error instanceof KeyplanError ? error.message : reasonOf(error, this.#target);
            throw new KeyplanError(
              `${this.description}: the state change could not be recorded after ${attempt} attempts (${reason}); the next run finds what this change did through the journal`,
              { code: STATE_CODES.connectionLost, source: 'user' },
            );
          }
          if (error instanceof KeyplanError) throw error;
          throw databaseError(`${this.description}: cannot write the state`, error, this.#target);
        }
        logger().debug('state write lost its connection; retrying', { state: this.name, attempt, reason: reasonOf(error, this.#target) });
        await sleep(100 * attempt);
      }
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#locked = false;
    await client?.end().catch(() => undefined);
  }

  /** One write transaction; `writeId` tells a retry whether an earlier attempt's COMMIT landed. */
  async #writeOnce(
    client: pg.Client,
    next: KeyplanState,
    steps: readonly StateStep[] | undefined,
    writeId: string,
    attempt: { planned?: PlannedWrite },
  ): Promise<KeyplanState> {
    await client.query('BEGIN');
    try {
      const head = await readHead(client, this.name, true);
      const serial = next.serial + (steps?.length ?? 1);
      // An earlier attempt whose COMMIT answer was lost may have landed: then its rows are what is stored.
      const landed = head?.lastWrite === writeId && attempt.planned !== undefined;
      if (!landed) attempt.planned = this.#plan(head, next, steps);
      const { base, changes, owners } = attempt.planned as PlannedWrite;
      if (!landed) {
        this.#refuseMoved(head, next);
        const problems = owners.check(next, changes, this.#rules);
        if (problems.length > 0) throw new InternalError(`Expected the state to write to be valid, got:\n  ${problems.join('\n  ')}`);
        await this.#writeHead(client, head !== undefined, next, serial, writeId);
        if (base === undefined && head !== undefined) await clearRows(client, this.name);
        await writeRows(client, this.name, changes);
      }
      await client.query('COMMIT');
      return this.#wrote(next, serial, attempt.planned as PlannedWrite, steps !== undefined);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (isConnectionError(error)) this.#dropped(client, error);
      throw error;
    }
  }

  /** The rows to write over `head`: a diff from the base this store read or wrote, or a full rewrite over any other head. */
  #plan(head: StateHead | undefined, next: KeyplanState, steps: readonly StateStep[] | undefined): PlannedWrite {
    const base = head !== undefined && this.#base?.lineage === head.lineage && this.#base.serial === head.serial ? this.#base : undefined;
    const ordinals = base === undefined ? new Map<string, number>() : this.#ordinals;
    const changes = steps === undefined ? diffStates(base, next, ordinals) : stepChanges(base, next, steps, ordinals);
    return { base, changes, owners: base === undefined ? new LiveKeyOwners() : this.#owners };
  }

  /** Runs `body` once every earlier call on the connection has settled: one transaction at a time. */
  #exclusive<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(body);
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #refuseMoved(head: { lineage: string; serial: number } | undefined, next: KeyplanState): void {
    if (head === undefined) return;
    if (head.lineage !== next.lineage) {
      throw new KeyplanError(
        `refusing to write ${this.description}: the state being written has lineage ${next.lineage}, but the database has lineage ${head.lineage}; they are different states`,
        { code: STATE_CODES.lineageMismatch, source: 'user' },
      );
    }
    if (head.serial > next.serial) {
      throw new KeyplanError(
        `refusing to write ${this.description}: it has serial ${head.serial}, newer than the serial ${next.serial} the state being written was read at; another run changed it`,
        { code: STATE_CODES.serialBehind, source: 'user' },
      );
    }
  }

  async #writeHead(client: pg.Client, exists: boolean, next: KeyplanState, serial: number, writeId: string): Promise<void> {
    if (exists) {
      await client.query('UPDATE keyplan.states SET serial = $2, last_write = $3, updated_at = now() WHERE name = $1', [this.name, serial, writeId]);
    } else {
      await client.query('INSERT INTO keyplan.states (name, lineage, serial, version, last_write) VALUES ($1, $2, $3, $4, $5)', [
        this.name,
        next.lineage,
        serial,
        next.version,
        writeId,
      ]);
    }
  }

  #wrote(next: KeyplanState, serial: number, { base, changes, owners }: PlannedWrite, fromSteps: boolean): KeyplanState {
    const written = { ...next, serial };
    owners.apply(base, changes);
    this.#owners = owners;
    this.#ordinals = changes.ordinals;
    // Steps hand over records their caller keeps changing: the base is a copy this store owns.
    this.#owned = fromSteps ? recordsAfter(base, next, changes, this.#owned) : undefined;
    this.#base = this.#owned === undefined ? written : { ...written, keys: this.#owned };
    return written;
  }

  /** The connection a write uses; after a lost one, a new one that holds the lock again or a clear error. */
  async #sessionForWrite(): Promise<pg.Client> {
    if (this.#held === undefined || (this.#client !== undefined && this.#locked)) return this.#session();
    const held = this.#held;
    const client = await this.#session();
    const problem = await this.#guard(client, 'cannot take the state lock again', () => retakeLock(client, this.name, this.#key, held));
    if (problem !== undefined) {
      throw new KeyplanError(
        `${this.description}: the connection to the database was lost and with it the state lock, and ${problem}; this change was not recorded, the next run finds what it did through the journal`,
        { code: STATE_CODES.connectionLost, source: 'user' },
      );
    }
    this.#locked = true;
    logger().debug('state lock taken again on a new connection', { state: this.name, lockId: held.id });
    return client;
  }

  /** The store's connection, opened (and the tables created or upgraded) on first use. */
  async #session(): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    const client = new pg.Client(clientConfig(this.#target));
    // Without a listener, an idle connection ended by the server would crash the process.
    client.on('error', (error) => this.#dropped(client, error));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      const wrapped = databaseError(`cannot connect to the state database named by ${this.#target.urlEnv} (${this.description})`, error, this.#target);
      throw new LostConnectionError(`${wrapped.message}; nothing was changed`, STATE_CODES.databaseUnreachable);
    }
    this.#client = client;
    if (!this.#schemaReady) {
      await this.#guard(client, 'cannot create or upgrade the keyplan tables', () => ensureSchema(client, this.description));
      this.#schemaReady = true;
    }
    return client;
  }

  /** Runs `body` on `client`; a lost connection is noted, pg errors become KeyplanErrors. */
  async #guard<T>(client: pg.Client, doing: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof KeyplanError) throw error;
      const wrapped = databaseError(`${this.description}: ${doing}`, error, this.#target);
      if (!isConnectionError(error)) throw wrapped;
      this.#dropped(client, error);
      throw new LostConnectionError(wrapped.message, STATE_CODES.connectionLost);
    }
  }

  /** Forgets a connection that failed; while the lock was held, tells the run to start nothing new. */
  #dropped(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#locked = false;
    void client.end().catch(() => undefined);
    logger().debug('state database connection lost', { state: this.name, reason: reasonOf(error, this.#target) });
    if (this.#held !== undefined && !this.#lost.signal.aborted) {
      this.#lost.abort(
        new KeyplanError(
          `${this.description}: the connection to the database was lost (${reasonOf(error, this.#target)}), and the state lock with it; keyplan starts no further change. Run keyplan apply again to finish`,
          { code: STATE_CODES.connectionLost, source: 'user' },
        ),
      );
    }
  }
}

/** What one write puts in the database, computed once and reused by a retry whose first COMMIT landed. */
interface PlannedWrite {
  readonly base: KeyplanState | undefined;
  readonly changes: RowChanges;
  readonly owners: LiveKeyOwners;
}

/** A failure to reach the database or a connection lost: a write may retry it on a new connection. */
class LostConnectionError extends KeyplanError {
  constructor(message: string, code: string) {
    super(message, { code, source: 'user' });
  }
}

function heldError(holder: LockInfo | undefined, description: string): StateLockError {
  if (holder === undefined) {
    return new StateLockError(`${description} is locked by another keyplan run, which has not written who it is yet; try again`, '', STATE_CODES.locked);
  }
  return new StateLockError(lockHeldMessage(holder, 'The lock is released when that run ends or its database session closes. '), holder.id, STATE_CODES.locked);
}
