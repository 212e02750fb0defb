/**
 * Durable files for the emulators' data folders. Writes go to a temporary file in the
 * same folder, are fsynced and then renamed over the target, so a reader (another keyplan
 * process sharing the sandbox) sees either the old or the new document, never half of one.
 * Stamps tell a reader whether the file changed since it last looked.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/** What identifies one version of a file on disk (rename gives a new inode). */
export interface FileStamp {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly size: number;
}

/** The stamp of `path`, or undefined when it does not exist. */
export function stampOf(path: string): FileStamp | undefined {
  const s = statSync(path, { throwIfNoEntry: false });
  return s === undefined ? undefined : { ino: s.ino, mtimeMs: s.mtimeMs, size: s.size };
}

/** True when both stamps name the same version of the file. */
export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a?.ino === b?.ino && a?.mtimeMs === b?.mtimeMs && a?.size === b?.size;
}

/** Writes `text` to `path` atomically with the given file mode; returns the new stamp. */
export function writeFileAtomic(path: string, text: string, mode = 0o600): FileStamp {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const stamp = stampOf(path);
  if (stamp === undefined) throw new Error(`Expected \`${path}\` to exist right after it was renamed into place`);
  return stamp;
}

/** Reads a UTF-8 file, or returns undefined when it does not exist. */
export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
