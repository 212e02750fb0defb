/**
 * What every backend's lock says about its holder: a new LockInfo for this process, and
 * the one "state is locked by USER@HOST (pid N, operation apply, since T); lock ID: X"
 * sentence, so the local and postgres backends word a held lock the same.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { LockInfo } from './store.js';

/** A LockInfo for this process taking the lock for `operation` now, with a fresh id. */
export function newLockInfo(operation: string): LockInfo {
  return { id: randomUUID(), operation, who: currentUser(), pid: process.pid, host: hostname(), created: new Date().toISOString() };
}

/** `USER@HOST (pid N, operation apply, since T)`. */
export function describeHolder(info: LockInfo): string {
  return `${info.who}@${info.host} (pid ${info.pid}, operation ${info.operation}, since ${info.created})`;
}

/**
 * `state is locked by HOLDER; lock ID: X. NOTE If no keyplan run holds it, run: keyplan force-unlock X`.
 * `note` is a sentence of the backend's own (ending with a space), or empty.
 */
export function lockHeldMessage(held: LockInfo, note: string): string {
  return `state is locked by ${describeHolder(held)}; lock ID: ${held.id}. ${note}If no keyplan run holds it, run: keyplan force-unlock ${held.id}`;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers often run as a uid with no passwd entry.
    return process.env['USER'] ?? process.env['USERNAME'] ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}
