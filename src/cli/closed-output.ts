/**
 * A closed stdout or stderr (`keyplan plan | head -1`: the reader exits, the next write
 * fails with EPIPE). Node reports that as an 'error' event on the stream, which crashes the
 * process when nobody listens, leaving a stack trace and, mid-run, the state lock behind.
 * Instead the stream is marked closed and everything later written to it is dropped
 * (io.ts `out` and `err` skip it; any other write fails the same way and is ignored). A
 * run in progress then stops as on a first Ctrl-C (interrupt.ts): no new step starts, the
 * steps in flight are recorded, the lock is released; an apply whose plan was cut short
 * changes nothing, since no one saw the whole plan. As other CLIs that exit quietly on
 * EPIPE do, keyplan prints nothing about it (there may be no one to read it) and keeps the
 * exit code of what it did: a plan that was computed exits as usual (0, or 2 with
 * --detailed-exitcode), an apply stopped halfway exits 4, one cancelled before any change
 * exits 1, so `set -o pipefail` scripts are not failed by a `| head` that read enough.
 */
import type { Writable } from 'node:stream';
import { logger } from '../log/logger.js';
import type { CliIo } from './io.js';

const closed = new WeakSet<NodeJS.WritableStream>();
const watched = new WeakSet<NodeJS.WritableStream>();

/** Keeps a write error on `stream` from crashing the process: from then on the stream counts as closed. */
export function watchOutput(stream: NodeJS.WritableStream, name: string): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // EPIPE is the reader gone; any other write error (EIO: the terminal went away) leaves no one to read either.
    if (!closed.has(stream)) logger().debug(`${name} closed; its output is dropped from now on`, { code: error.code ?? error.message });
    closed.add(stream);
  });
}

/**
 * Whether a write to `stream` has failed because its reader is gone. Known at once after
 * the failed write (the stream's `errored`), before the 'error' event arrives.
 */
export function outputClosed(stream: NodeJS.WritableStream): boolean {
  const writable = stream as Partial<Writable>;
  return closed.has(stream) || (writable.errored ?? null) !== null || writable.destroyed === true;
}

/**
 * Whether apply must stop before changing anything because stdout closed while the plan
 * was written (`keyplan apply | head`): no one saw the whole plan. Waits until what is
 * written so far has reached the reader (a pipe takes a long plan in parts), then decides;
 * says so on stderr.
 */
export async function planCutShort(io: CliIo): Promise<boolean> {
  const stdout = io.stdout;
  if (((stdout as Partial<Writable>).writableLength ?? 0) > 0) {
    await new Promise<void>((resolve) =>
      stdout.write('', (error) => {
        if (error) closed.add(stdout);
        resolve();
      }),
    );
  }
  if (!outputClosed(stdout)) return false;
  io.stderr.write('\nstdout was closed before the whole plan was shown, so nothing is applied.\n');
  return true;
}

/** Calls `listener` once when any of `streams` closes; the returned function stops listening. */
export function onOutputClosed(streams: readonly NodeJS.WritableStream[], listener: () => void): () => void {
  const onError = (): void => listener();
  for (const s of streams) s.once('error', onError);
  return () => {
    for (const s of streams) s.off('error', onError);
  };
}
