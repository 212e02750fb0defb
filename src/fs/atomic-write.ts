/**
 * src/fs: file-system primitives below every layer (they import nothing of keyplan), so
 * state/, outputs/, plan files and the providers' sinks share them without depending on
 * each other.
 *
 * Durable, all-or-nothing file replacement shared by the secret sinks and the local state
 * store: a reader sees either the old file or the new one, never a torn write, and after
 * the promise resolves the new content survives a crash or power loss.
 *
 * Also a per-path queue, because apply runs steps concurrently and several keys often
 * merge their profiles into one shared config file: read-modify-write cycles on one path
 * must not interleave inside this process.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Random bytes in a temp file's name: `.NAME.<12 hex digits>.tmp`. */
const TEMP_RANDOM_BYTES = 6;

/** Options of {@link atomicWriteFile}. */
export interface AtomicWriteOptions {
  /** Mode of the written file, set when the temp file is created (never chmod after). @default 0o600 */
  readonly mode?: number;
  /** Mode of parent folders that have to be created; existing folders are left alone. @default 0o700 */
  readonly dirMode?: number;
}

/**
 * Replaces `path` with `data`: temp file in the same folder (created with `mode`, `O_EXCL`),
 * write, fsync, rename over the target, fsync the folder. Missing parent folders are
 * created. A symlink at `path` is followed, so a config file kept in a dotfiles repository
 * stays a symlink. Throws the underlying Node error (it names paths, never content);
 * callers wrap it in their own error type.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  await makeParents(dir, options.dirMode ?? 0o700);
  // Hidden, random name in the same folder: rename is only atomic within one file system,
  // and O_EXCL refuses to follow a symlink someone planted under a guessable name.
  const temp = join(dir, `.${basename(target)}.${randomBytes(TEMP_RANDOM_BYTES).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', options.mode ?? 0o600);
  let renamed = false;
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }
}

/**
 * Removes the temp files that writes of `path` left behind when their process was killed
 * between creating and renaming them: regular files named exactly as {@link atomicWriteFile}
 * names them (`.NAME.<12 hex digits>.tmp`), in the folder of the file `path` resolves to,
 * and nothing else. Only safe while no other process can be writing `path` (the caller
 * holds its lock). Best effort: a file that cannot be removed stays for the next run.
 * @returns the names removed, sorted.
 */
export async function removeStaleTempFiles(path: string): Promise<string[]> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !isTempName(entry.name, prefix)) continue;
    const gone = await unlink(join(dir, entry.name)).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(entry.name);
  }
  return removed.sort();
}

function isTempName(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return false;
  const random = name.slice(prefix.length, -'.tmp'.length);
  return random.length === TEMP_RANDOM_BYTES * 2 && /^[0-9a-f]+$/.test(random);
}

/** `mkdir -p`, with a clear message when part of the path is a file (Node says only EEXIST). */
async function makeParents(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    for (let at = dir; at !== dirname(at); at = dirname(at)) {
      const found = await stat(at).catch(() => undefined);
      if (found !== undefined && !found.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: ${at} is a file, not a folder`), { code: 'ENOTDIR', cause: error });
      }
    }
    throw error;
  }
}

/** Follows a symlink at `path` to the file it names; a missing or dangling path is used as is. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** Makes the rename itself durable. Some platforms (Windows) cannot fsync a folder; that is not an error there. */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (isIgnorableSyncError(error)) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isIgnorableSyncError(error)) throw error;
  } finally {
    await handle.close();
  }
}

function isIgnorableSyncError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EISDIR' || code === 'EINVAL' || code === 'EPERM' || code === 'ENOTSUP';
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task queued for the same absolute `path` has settled,
 * so read-modify-write cycles on one file never interleave within this process.
 */
export function serializedByPath<T>(path: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.then(task);
  // The queue must survive a failed task, and must not grow forever for quiet paths.
  const tail = run.catch(() => undefined);
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return run;
}
