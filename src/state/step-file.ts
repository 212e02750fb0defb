/**
 * The step journal's file: appends of whole lines, each made durable (fsync) before the
 * step counts as done, through one handle kept open while the run holds the lock.
 */
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from '../fs/atomic-write.js';

/** Appends to one journal file; `close()` releases its handle. */
export class StepFile {
  readonly path: string;
  #handle: FileHandle | undefined;
  /** Bytes of whole lines in the file: where a failed append is cut back to. */
  #size = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** Appends `text` (whole lines) and fsyncs it; on failure the file is cut back to its last whole line. */
  async append(text: string): Promise<void> {
    if (this.#handle === undefined) {
      // 'a': O_APPEND, created 0600 when missing. A new file's name is made durable once.
      const handle = await open(this.path, 'a', 0o600);
      this.#size = (await handle.stat()).size;
      this.#handle = handle;
      if (this.#size === 0) await syncDir(dirname(this.path));
    }
    const bytes = Buffer.from(text, 'utf8');
    try {
      await this.#handle.write(bytes);
      await this.#handle.datasync();
      this.#size += bytes.length;
    } catch (error) {
      // A half-written line would glue onto the next one; cut it off (best effort).
      await this.#handle.truncate(this.#size).catch(() => undefined);
      throw error;
    }
  }

  /** Closes the handle (the file stays). */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  /** Closes the handle and removes the file (its steps are in state.json now). */
  async remove(): Promise<void> {
    await this.close();
    try {
      await unlink(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return;
    }
    await syncDir(dirname(this.path));
  }
}

/** The journal's text, or undefined when there is none. */
export async function readStepFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
