/**
 * Putting output files back when a later output of the same key fails. writeOutputs writes
 * a key's outputs one after another; when one fails, the key is deleted again
 * (apply/step-create.ts), so the outputs already written would hold the secret of a key
 * that no longer exists, and on a rotation they would have replaced the still-valid old
 * key's secret. Each file-based output therefore writes through {@link writeFileUndoably}:
 * the file is snapshotted first and its undo restores it (or removes it, if it did not
 * exist) — unless another key changed it meanwhile (shared config files): then it is left
 * as it is, since restoring would undo that key's profile.
 */
import { readFile, stat, unlink } from 'node:fs/promises';
import { atomicWriteFile, serializedByPath } from '../fs/atomic-write.js';
import type { OutputUndo } from '../providers/module.js';

/**
 * Runs `write` (which replaces `absPath`) serialized with every other write of that path,
 * since keys applied concurrently may share a file (one CLI config file with a profile per
 * key). Returns the undo that puts the file back; undefined when the file existed but could
 * not be read beforehand, so there is nothing to put back.
 */
export async function writeFileUndoably(absPath: string, write: () => Promise<void>): Promise<OutputUndo | undefined> {
  return serializedByPath(absPath, async () => {
    const snapshot = await snapshotFile(absPath).catch(() => undefined);
    await write();
    if (snapshot === undefined) return undefined;
    await recordWritten(snapshot);
    return async () => {
      const left = await restoreFiles([snapshot]);
      if (left.length > 0) throw new Error(`${absPath} changed meanwhile and still holds the new key's values`);
    };
  });
}

/** A file as it was before, and as this key's output left it. */
export interface FileSnapshot {
  readonly absPath: string;
  /** Content before the write; undefined when the file did not exist. */
  readonly before: Buffer | undefined;
  readonly mode: number;
  /** Content right after the write (set by {@link recordWritten}). */
  after?: Buffer;
}

/** Reads the file's current content and mode; throws only when it exists but cannot be read. */
export async function snapshotFile(absPath: string): Promise<FileSnapshot> {
  try {
    const [before, info] = await Promise.all([readFile(absPath), stat(absPath)]);
    return { absPath, before, mode: info.mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { absPath, before: undefined, mode: 0o600 };
    throw error;
  }
}

/** Remembers what the output wrote, so a rollback can tell whether anyone changed it since. */
export async function recordWritten(snapshot: FileSnapshot): Promise<void> {
  snapshot.after = await readFile(snapshot.absPath).catch(() => undefined);
}

/**
 * Restores the snapshots, last written first. Best effort: returns the paths that could not
 * be restored (changed by another key meanwhile, or an I/O error), for the error message.
 */
export async function restoreFiles(snapshots: readonly FileSnapshot[]): Promise<string[]> {
  const left: string[] = [];
  for (const s of [...snapshots].reverse()) {
    if (s.after === undefined) continue;
    const restored = await serializedByPath(s.absPath, async () => {
      const now = await readFile(s.absPath).catch(() => undefined);
      if (now === undefined || !now.equals(s.after as Buffer)) return false;
      if (s.before === undefined) await unlink(s.absPath);
      else await atomicWriteFile(s.absPath, s.before, { mode: s.mode });
      return true;
    }).catch(() => false);
    if (!restored) left.push(s.absPath);
  }
  return left;
}
