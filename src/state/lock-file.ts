/**
 * The local backend's lock: a file created with O_EXCL next to the state, holding the
 * LockInfo as JSON. Like Terraform's local lock, a lock whose process died is not broken
 * automatically (the pid may have been reused, or the "same" host name may be another
 * machine sharing the folder); the message says it looks stale and how to force-unlock.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyplanError, StateLockError } from '../errors/errors.js';
import type { LockInfo, LockOptions } from './store.js';
import { waitForLock, type LockAttempt } from './lock-wait.js';
import { STATE_CODES } from './codes.js';
import { describeHolder, lockHeldMessage, newLockInfo } from './lock-holder.js';

/**
 * Creates the lock file, waiting up to `options.timeoutMs` while another run holds it, or
 * throws StateLockError describing the holder.
 */
export async function acquireLockFile(lockPath: string, operation: string, options: LockOptions = {}): Promise<LockInfo> {
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw ioError(`cannot create the folder of lock file ${lockPath}`, error);
  });
  return waitForLock(() => tryLockFile(lockPath, operation), options);
}

/** One try at creating the lock file. Throws for a lock file that cannot be read or written: waiting would not help. */
async function tryLockFile(lockPath: string, operation: string): Promise<LockAttempt> {
  // Two creates: the holder may release the lock between our failed create and our read.
  for (let create = 0; create < 2; create++) {
    let handle;
    try {
      handle = await open(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`cannot create lock file ${lockPath}`, error);
      const held = await readLockFile(lockPath);
      if (held === 'missing') continue;
      // No keyplan run writes a lock file it cannot read back, so none will remove this one.
      if (typeof held === 'string') throw lockedError(lockPath, held);
      return { kind: 'held', error: lockedError(lockPath, held), holder: held };
    }
    // The time the lock is really taken, not when the wait began.
    const info = newLockInfo(operation);
    try {
      await handle.writeFile(`${JSON.stringify(info, null, 2)}\n`);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
      throw ioError(`cannot write lock file ${lockPath}`, error);
    }
    await handle.close();
    return { kind: 'taken', lock: info };
  }
  const error = new StateLockError(`state lock file ${lockPath} keeps changing; another keyplan run is taking it, try again`, '', STATE_CODES.locked);
  return { kind: 'held', error, holder: undefined };
}

/**
 * Deletes the lock file if it holds `lockId`. `force` only changes the messages: a normal
 * unlock that fails means this run lost its lock, a forced one that fails means a typo.
 */
export async function releaseLockFile(lockPath: string, lockId: string, force: boolean): Promise<void> {
  const held = await readLockFile(lockPath);
  const verb = force ? 'force-unlock' : 'unlock';
  if (held === 'missing') {
    throw stateUserError(
      force
        ? `cannot force-unlock: the state is not locked (no lock file at ${lockPath})`
        : `cannot unlock state: lock ${lockId} is no longer held (no lock file at ${lockPath}); another run may have force-unlocked it`,
    );
  }
  if (typeof held === 'string') {
    throw stateUserError(`cannot ${verb}: lock file ${lockPath} is unreadable (${held}); if no keyplan run holds it, delete the file`);
  }
  if (held.id !== lockId) {
    throw stateUserError(`cannot ${verb}: lock ID ${lockId} does not match the current lock (lock ID: ${held.id}, held by ${describeHolder(held)})`);
  }
  // Read-then-unlink is not atomic, but the only race is two force-unlocks of the same id.
  await unlink(lockPath).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(`cannot delete lock file ${lockPath}`, error);
  });
}

/** The lock's holder, `'missing'` when there is no lock file, or why the file could not be read. */
async function readLockFile(lockPath: string): Promise<LockInfo | 'missing' | string> {
  let problem = '';
  // The holder writes its LockInfo right after creating the file; a reader that comes in
  // between sees an empty or partial file, so retry briefly before calling it corrupt.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await sleep(20);
    let text: string;
    try {
      text = await readFile(lockPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      return (error as Error).message;
    }
    try {
      const info = toLockInfo(JSON.parse(text));
      if (info) return info;
      problem = 'not a keyplan lock';
    } catch (error) {
      problem = `not valid JSON: ${(error as Error).message}`;
    }
  }
  return problem;
}

function toLockInfo(doc: unknown): LockInfo | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as Record<string, unknown>;
  const strings = ['id', 'operation', 'who', 'host', 'created'].every((k) => typeof d[k] === 'string');
  if (!strings || typeof d['pid'] !== 'number') return undefined;
  return doc as LockInfo;
}

function lockedError(lockPath: string, held: LockInfo | string): StateLockError {
  if (typeof held === 'string') {
    return new StateLockError(
      `state is locked: lock file ${lockPath} is unreadable (${held}). If no keyplan run holds it, delete ${lockPath}`,
      '',
      STATE_CODES.locked,
    );
  }
  const stale = isStale(held) ? `Process ${held.pid} is no longer running on ${held.host}, so the lock looks stale. ` : '';
  return new StateLockError(lockHeldMessage(held, stale), held.id, STATE_CODES.locked);
}

/** Only a lock taken on this host can be checked; EPERM means the process exists under another user. */
function isStale(info: LockInfo): boolean {
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function stateUserError(message: string): KeyplanError {
  return new KeyplanError(message, { code: STATE_CODES.unlockRefused, source: 'user' });
}

function ioError(message: string, cause: unknown): KeyplanError {
  return new KeyplanError(`${message}: ${(cause as Error).message}`, { code: STATE_CODES.io, source: 'user', cause });
}
