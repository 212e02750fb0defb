/**
 * The change log beside an emulator's store file (`store.json.log`): one JSON line per
 * changed part of the document, `{"p":["users","bob"],"v":{...}}` (no `v`: removed), so a
 * create costs the size of one user's keys rather than a rewrite of the whole store. The
 * store file plus its log, applied in order, is the document; opening a store folds the
 * log into the file. A last line without its newline (a process killed mid-append) is
 * ignored. Lines only set values, so applying one twice changes nothing. Appends are not
 * fsynced: the sandbox must survive its process being killed, which the page cache does.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';

/** One logged change: the value now at `p` (absent: `p` was removed). */
export interface LogLine {
  readonly p: readonly string[];
  readonly v?: unknown;
}

/** The value at `path` inside `doc`, or undefined. */
export function valueAt(doc: unknown, path: readonly string[]): unknown {
  let node: unknown = doc;
  for (const part of path) {
    if (!isRecord(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** Applies `line` to `doc` in place, making missing parent objects. */
export function applyLine(doc: Record<string, unknown>, line: LogLine): void {
  let node = doc;
  const parents = line.p.slice(0, -1);
  const last = line.p[line.p.length - 1];
  if (last === undefined) return;
  for (const part of parents) {
    const child = node[part];
    if (!isRecord(child)) {
      if (!Object.hasOwn(line, 'v')) return;
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  if (Object.hasOwn(line, 'v')) node[last] = line.v;
  else delete node[last];
}

/** The text of the lines for `paths` as they are in `doc` now. */
export function encodeLines(doc: unknown, paths: Iterable<readonly string[]>): string {
  let text = '';
  for (const p of paths) {
    const v = valueAt(doc, p);
    text += `${JSON.stringify(v === undefined ? { p } : { p, v })}\n`;
  }
  return text;
}

/**
 * Reads the whole lines of the log at `path` from byte `offset` on. Returns them and the
 * offset just past the last whole line; undefined when the file does not exist.
 */
export function readLines(path: string, offset: number): { lines: LogLine[]; end: number; ino: number } | undefined {
  // Every request of a persistent emulator asks; nearly always nothing was appended, which a
  // stat tells without opening the file (nor throwing for a log that does not exist).
  const seen = statSync(path, { throwIfNoEntry: false });
  if (seen === undefined) return undefined;
  if (seen.size === offset) return { lines: [], end: offset, ino: seen.ino };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size, ino } = fstatSync(fd);
    const start = size < offset ? 0 : offset;
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    const whole = buffer.lastIndexOf(0x0a, read - 1);
    if (whole < 0) return { lines: [], end: start, ino };
    const lines = buffer
      .subarray(0, whole)
      .toString('utf8')
      .split('\n')
      .map((text, i) => parseLine(text, path, i));
    return { lines, end: start + whole + 1, ino };
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends `text` (whole lines) to the log at `path` (created 0600). Returns the file's
 * size and inode after the append, so the caller can tell whether another process
 * appended in between.
 */
export function appendLines(path: string, text: string): { size: number; ino: number } {
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, text);
    const { size, ino } = fstatSync(fd);
    return { size, ino };
  } finally {
    closeSync(fd);
  }
}

function parseLine(text: string, path: string, index: number): LogLine {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    line = undefined;
  }
  if (!isRecord(line) || !Array.isArray(line['p']) || !line['p'].every((part) => typeof part === 'string')) {
    throw new Error(`Expected line ${index + 1} of the emulator store log \`${path}\` to be a change; remove the log to start from the store file`);
  }
  return line as unknown as LogLine;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
