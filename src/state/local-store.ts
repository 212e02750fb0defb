/**
 * The `local` state backend: one JSON file (`.keyplan/state.json` unless the config says
 * otherwise), a lock file beside it (`state.json.lock`) and, while an apply runs, its step
 * journal (`state.json.steps`, step-journal.ts). Whole writes replace the file atomically
 * and durably, so a crash leaves either the previous or the new state (and at most a temp
 * file, removed by the next run that takes the lock). Apply steps append to the journal
 * instead, so one step costs the same at any number of keys; the journal is folded into
 * the file on unlock, or on the next lock when the run died.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { InternalError, KeyplanError } from '../errors/errors.js';
import type { KeyplanState } from '../model/state.js';
import { atomicWriteFile, removeStaleTempFiles } from '../fs/atomic-write.js';
import { acquireLockFile, releaseLockFile } from './lock-file.js';
import { newState, normalizeState, parseState, serializeState } from './state-document.js';
import { checkStateRules, stateRulesError, type StateRuleOptions } from './state-rules.js';
import { checkStateShape } from './state-schema.js';
import { checkStepRecord, encodeStep, foldSteps } from './step-journal.js';
import { readStepFile, StepFile } from './step-file.js';
import type { LockInfo, LockOptions, StateStep, StateStore } from './store.js';
import { STATE_CODES } from './codes.js';

/** Where the local backend keeps state when the config does not say, relative to the config's folder. */
export const DEFAULT_LOCAL_STATE_PATH = '.keyplan/state.json';

/** State in a local file, guarded by a lock file. Callers take the lock before writing. */
export class LocalStateStore implements StateStore {
  /** Absolute path of the state file. */
  readonly path: string;
  /** Absolute path of the lock file: the state path plus `.lock`. */
  readonly lockPath: string;
  /** Absolute path of the step journal: the state path plus `.steps`. */
  readonly stepsPath: string;
  readonly description: string;
  readonly #rules: StateRuleOptions;
  readonly #steps: StepFile;
  /** The state this store last read or wrote, and whether the state file existed then. */
  #head: { readonly state: KeyplanState; readonly onDisk: boolean } | undefined;
  /**
   * State writes made through this store and the bytes they put on disk (whole writes of
   * the file; `appends`/`appendBytes`: step journal lines), so a test or a benchmark can
   * check what one apply step costs in I/O as the number of keys grows.
   */
  readonly writeStats = { writes: 0, bytes: 0, appends: 0, appendBytes: 0 };

  /**
   * @param path absolute path of the state file; its folder is created (0700) on first lock or write.
   * @param rules what a state read or written must agree with (the kinds this keyplan knows).
   */
  constructor(path: string, rules: StateRuleOptions = {}) {
    if (!isAbsolute(path)) throw new InternalError(`Expected \`path\` to be absolute, got \`${path}\``);
    this.path = path;
    this.lockPath = `${path}.lock`;
    this.stepsPath = `${path}.steps`;
    this.description = path;
    this.#rules = rules;
    this.#steps = new StepFile(this.stepsPath);
  }

  /**
   * Takes the lock (waiting up to `options.timeoutMs` while another run holds it), then
   * removes temp files of state writes killed before their rename and folds the step
   * journal a run that died left.
   */
  async lock(operation: string, options: LockOptions = {}): Promise<LockInfo> {
    const info = await acquireLockFile(this.lockPath, operation, options);
    try {
      // Under the lock no other run is between creating and renaming a temp file of ours,
      // so every one left is from a run that died; nothing else would ever remove them.
      await removeStaleTempFiles(this.path);
      await this.#fold();
    } catch (error) {
      await releaseLockFile(this.lockPath, info.id, false).catch(() => undefined);
      throw error;
    }
    return info;
  }

  /** Folds this run's step journal into the state file, then releases the lock (also when the fold fails: the next lock folds again). */
  async unlock(lockId: string): Promise<void> {
    try {
      await this.#fold();
    } finally {
      await releaseLockFile(this.lockPath, lockId, false);
    }
  }

  forceUnlock(lockId: string): Promise<void> {
    return releaseLockFile(this.lockPath, lockId, true);
  }

  /** Releases the journal's handle, if one is open. */
  close(): Promise<void> {
    return this.#steps.close();
  }

  /** The state file with the step journal folded in (without writing anything). */
  async read(): Promise<KeyplanState> {
    // The journal first: a fold that runs meanwhile leaves a state file at least as new as
    // these steps, and steps the file already has are skipped; the other order could pair
    // an old file with no journal and miss the steps in between.
    const steps = await this.#readSteps();
    const onDisk = await this.#readExisting();
    const base = onDisk ?? newState();
    const folded = steps === undefined || onDisk === undefined ? base : this.#folded(base, steps);
    this.#head = { state: folded, onDisk: onDisk !== undefined };
    return folded;
  }

  async write(state: KeyplanState): Promise<KeyplanState> {
    // A whole write starts from a folded file and no journal, so none is left to misapply.
    await this.#fold();
    const onDisk = await this.#readExisting();
    if (onDisk !== undefined) checkBase(this.path, onDisk, state);
    const next = normalizeState({ ...state, serial: state.serial + 1 });
    await this.#writeWhole(next);
    this.#head = { state: next, onDisk: true };
    return next;
  }

  /**
   * Records `steps` (made in order from `base`, the state this store last read or wrote, to
   * `after`) as journal lines in one durable append: serials `base.serial + 1` onwards.
   */
  async writeSteps(base: KeyplanState, steps: readonly StateStep[], after: KeyplanState): Promise<KeyplanState> {
    const head = this.#head ?? { state: await this.read(), onDisk: true };
    checkBase(this.path, head.state, base);
    if (base.serial !== head.state.serial) {
      throw new InternalError(`Expected the steps to follow serial ${head.state.serial} of ${this.path}, got serial ${base.serial}`);
    }
    // The journal applies to a state file; the first write of a new state makes one.
    if (!head.onDisk) return this.write(after);
    let text = '';
    steps.forEach((step, i) => {
      const record = { lineage: base.lineage, serial: base.serial + i + 1, ...step };
      const problems = checkStepRecord(record, this.#rules);
      if (problems.length > 0) throw new InternalError(`Expected the state step to write to be valid, got:\n  ${problems.join('\n  ')}`);
      text += encodeStep(record);
    });
    try {
      await this.#steps.append(text);
    } catch (error) {
      throw ioError(this.stepsPath, error);
    }
    this.writeStats.appends += steps.length;
    this.writeStats.appendBytes += Buffer.byteLength(text);
    const last = { ...after, serial: base.serial + steps.length };
    this.#head = { state: last, onDisk: true };
    return last;
  }

  /** Folds the step journal into the state file (one atomic write) and removes it. Needs the lock. */
  async #fold(): Promise<void> {
    await this.#steps.close();
    const steps = await this.#readSteps();
    if (steps === undefined) return;
    const onDisk = await this.#readExisting();
    if (onDisk !== undefined) {
      const folded = this.#folded(onDisk, steps);
      if (folded !== onDisk) await this.#writeWhole(normalizeState(folded));
      this.#head = { state: folded, onDisk: true };
    }
    // The file now holds every step (or there is no file a journal could belong to).
    try {
      await this.#steps.remove();
    } catch (error) {
      throw ioError(this.stepsPath, error);
    }
  }

  /** `state` with journal `steps` applied, checked as a whole like a read. */
  #folded(state: KeyplanState, steps: string): KeyplanState {
    const { state: folded, applied } = foldSteps(state, steps, this.stepsPath, this.#rules);
    if (applied === 0) return state;
    const broken = checkStateRules(folded, this.#rules);
    if (broken.length > 0) throw stateRulesError(`${this.path} (with ${this.stepsPath})`, broken);
    return folded;
  }

  async #writeWhole(next: KeyplanState): Promise<void> {
    // Never persist a document the next read would reject; that would strand every later run.
    const problems = checkStateShape(next);
    if (problems.length === 0) problems.push(...checkStateRules(next, this.#rules).map((p) => `${p.path}: ${p.message}`));
    if (problems.length > 0) {
      throw new InternalError(`Expected the state to write to be valid, got:\n  ${problems.join('\n  ')}`);
    }
    const text = serializeState(next);
    try {
      await atomicWriteFile(this.path, text, { mode: 0o600, dirMode: 0o700 });
      this.writeStats.writes++;
      this.writeStats.bytes += Buffer.byteLength(text);
    } catch (error) {
      throw ioError(this.path, error);
    }
  }

  async #readSteps(): Promise<string | undefined> {
    try {
      return await readStepFile(this.stepsPath);
    } catch (error) {
      throw new KeyplanError(`cannot read state step journal ${this.stepsPath}: ${(error as Error).message}`, {
        code: STATE_CODES.unreadable,
        source: 'user',
        cause: error,
      });
    }
  }

  /** The parsed state file, or undefined when there is none yet. */
  async #readExisting(): Promise<KeyplanState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KeyplanError(`cannot read state file ${this.path}: ${(error as Error).message}`, {
        code: STATE_CODES.unreadable,
        source: 'user',
        cause: error,
      });
    }
    return parseState(text, this.path, this.#rules);
  }
}

/** Refuses a write of `state` over `stored`: another lineage, or read at an older serial. */
function checkBase(path: string, stored: KeyplanState, state: KeyplanState): void {
  if (stored.lineage !== state.lineage) {
    throw new KeyplanError(
      `refusing to write state ${path}: the state being written has lineage ${state.lineage}, but the file has lineage ${stored.lineage}; they are different states`,
      { code: STATE_CODES.lineageMismatch, source: 'user' },
    );
  }
  if (stored.serial > state.serial) {
    throw new KeyplanError(
      `refusing to write state ${path}: it has serial ${stored.serial}, newer than the serial ${state.serial} the state being written was read at; another run changed it`,
      { code: STATE_CODES.serialBehind, source: 'user' },
    );
  }
}

function ioError(path: string, error: unknown): KeyplanError {
  return new KeyplanError(`cannot write state file ${path}: ${(error as Error).message}`, { code: STATE_CODES.io, source: 'user', cause: error });
}
