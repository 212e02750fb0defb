/**
 * The `local` state backend: one JSON file (`.keyplan/state.json` unless the config says
 * otherwise) and a lock file beside it (`state.json.lock`). Writes replace the file
 * atomically and durably, so a crash leaves either the previous or the new state (and at
 * most a temp file, removed by the next run that takes the lock).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { InternalError, KeyplanError } from '../errors/errors.js';
import type { KeyplanState } from '../model/state.js';
import { atomicWriteFile, removeStaleTempFiles } from '../fs/atomic-write.js';
import { acquireLockFile, releaseLockFile } from './lock-file.js';
import { newState, normalizeState, parseState, serializeState } from './state-document.js';
import { checkStateRules, type StateRuleOptions } from './state-rules.js';
import { checkStateShape } from './state-schema.js';
import type { LockInfo, LockOptions, StateStore } from './store.js';
import { STATE_CODES } from './codes.js';

/** Where the local backend keeps state when the config does not say, relative to the config's folder. */
export const DEFAULT_LOCAL_STATE_PATH = '.keyplan/state.json';

/** State in a local file, guarded by a lock file. Callers take the lock before writing. */
export class LocalStateStore implements StateStore {
  /** Absolute path of the state file. */
  readonly path: string;
  /** Absolute path of the lock file: the state path plus `.lock`. */
  readonly lockPath: string;
  readonly description: string;
  readonly #rules: StateRuleOptions;
  /**
   * State writes made through this store and the bytes they put on disk, so a test or a
   * benchmark can check what one apply step costs in I/O as the number of keys grows.
   */
  readonly writeStats = { writes: 0, bytes: 0 };

  /**
   * @param path absolute path of the state file; its folder is created (0700) on first lock or write.
   * @param rules what a state read or written must agree with (the kinds this keyplan knows).
   */
  constructor(path: string, rules: StateRuleOptions = {}) {
    if (!isAbsolute(path)) throw new InternalError(`Expected \`path\` to be absolute, got \`${path}\``);
    this.path = path;
    this.lockPath = `${path}.lock`;
    this.description = path;
    this.#rules = rules;
  }

  /**
   * Takes the lock (waiting up to `options.timeoutMs` while another run holds it), then
   * removes temp files of state writes killed before their rename.
   */
  async lock(operation: string, options: LockOptions = {}): Promise<LockInfo> {
    const info = await acquireLockFile(this.lockPath, operation, options);
    // Under the lock no other run is between creating and renaming a temp file of ours,
    // so every one left is from a run that died; nothing else would ever remove them.
    await removeStaleTempFiles(this.path);
    return info;
  }

  unlock(lockId: string): Promise<void> {
    return releaseLockFile(this.lockPath, lockId, false);
  }

  forceUnlock(lockId: string): Promise<void> {
    return releaseLockFile(this.lockPath, lockId, true);
  }

  /** Nothing to release: every call opens and closes its own files. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async read(): Promise<KeyplanState> {
    return (await this.#readExisting()) ?? newState();
  }

  async write(state: KeyplanState): Promise<KeyplanState> {
    const onDisk = await this.#readExisting();
    if (onDisk !== undefined && onDisk.lineage !== state.lineage) {
      throw new KeyplanError(
        `refusing to write state ${this.path}: the state being written has lineage ${state.lineage}, but the file has lineage ${onDisk.lineage}; they are different states`,
        { code: STATE_CODES.lineageMismatch, source: 'user' },
      );
    }
    if (onDisk !== undefined && onDisk.serial > state.serial) {
      throw new KeyplanError(
        `refusing to write state ${this.path}: it has serial ${onDisk.serial}, newer than the serial ${state.serial} the state being written was read at; another run changed it`,
        { code: STATE_CODES.serialBehind, source: 'user' },
      );
    }
    const next = normalizeState({ ...state, serial: state.serial + 1 });
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
      throw new KeyplanError(`cannot write state file ${this.path}: ${(error as Error).message}`, {
        code: STATE_CODES.io,
        source: 'user',
        cause: error,
      });
    }
    return next;
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
