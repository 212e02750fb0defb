/**
 * The persistence half of every emulator's store: one JSON document kept in memory and,
 * with a data folder, written through to `<dataDir>/<file>` (mode 0600: the documents hold
 * the sandbox's secrets). A commit after changes the store marked with `touch` appends
 * them to the file's change log (store-log.ts), at a cost independent of the store's size;
 * any other commit rewrites the file atomically. Opening a store folds its log into the
 * file. Each request first calls `sync()`, which picks up what another process wrote (a
 * replaced file, lines appended to the log), so a `sandbox serve` and CLI runs can share
 * one sandbox. The document's fields and their checks stay in each emulator.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { readFileIfExists, sameStamp, stampOf, writeFileAtomic, type FileStamp } from './persist.js';
import { appendLines, applyLine, encodeLines, readLines } from './store-log.js';

/** True for a plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What an emulator tells the shared store about its document. */
export interface JsonStoreFormat<D> {
  /** Names the emulator in errors about a damaged file, e.g. `OCI`. */
  readonly emulator: string;
  /** File name inside the data folder. */
  readonly file: string;
  /**
   * Checks a parsed document beyond `formatVersion: 1`, calling `fail` with what is missing.
   * Returning vouches that the document has the shape of `D`.
   */
  check(doc: Record<string, unknown>, fail: (what: string) => never): asserts doc is Record<string, unknown> & D;
}

/** Parses a store file; a damaged one is reported (with how to recover), never half-used. */
function parseJsonStore<D>(format: JsonStoreFormat<D>, text: string, path: string): D {
  const fail = (what: string): never => {
    throw new Error(`Expected the ${format.emulator} emulator store \`${path}\` to hold ${what}; remove it to start afresh`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('JSON');
  }
  if (!isRecord(doc) || doc['formatVersion'] !== 1) return fail('formatVersion 1');
  format.check(doc, fail);
  return doc;
}

/**
 * An in-memory document with optional write-through to `<dataDir>/<format.file>`. Emulator
 * stores extend it and reach the document through `doc`, which `sync()` may replace.
 */
export class JsonStore<D> {
  readonly #format: JsonStoreFormat<D>;
  readonly #path: string | undefined;
  readonly #logPath: string | undefined;
  #doc: D;
  #stamp: FileStamp | undefined;
  /** How far this store has read the log (bytes), and which log file that was. */
  #log = { offset: 0, ino: -1 };
  /** Parts of the document changed since the last commit (`touch`), by their joined path. */
  #touched = new Map<string, readonly string[]>();
  /** The top-level scalar fields as last written, to log those that changed. */
  #scalars = new Map<string, unknown>();
  /** True when the document was read from the data folder, false when `fresh()` made it. */
  readonly loaded: boolean;

  /**
   * Reads the document from `dataDir` when the file exists (with its log folded in and the
   * file rewritten without it), else starts from `fresh()`, which is written from the first
   * `commit()` (never, without a data folder).
   */
  constructor(format: JsonStoreFormat<D>, dataDir: string | undefined, fresh: () => D) {
    this.#format = format;
    const path = dataDir === undefined ? undefined : join(dataDir, format.file);
    this.#path = path;
    this.#logPath = path === undefined ? undefined : `${path}.log`;
    // Stamp before reading: if the file changes in between, the next sync() reads it again.
    const stamp = path === undefined ? undefined : stampOf(path);
    const text = path === undefined ? undefined : readFileIfExists(path);
    if (path !== undefined && text !== undefined) {
      this.#doc = parseJsonStore(format, text, path);
      this.#stamp = stamp;
      this.loaded = true;
      // Any log, even one holding only a torn line, goes into the file and away.
      if (this.#readLog() !== 'none') this.#writeWhole();
    } else {
      this.#doc = fresh();
      this.loaded = false;
    }
    this.#keepScalars();
  }

  /** The current document; mutate it, `touch` what changed, then `commit()`. */
  protected get doc(): D {
    return this.#doc;
  }

  /**
   * Marks the part of the document at `path` (e.g. `users`, a user name) as changed, so the
   * next commit logs just that part. A commit with nothing marked rewrites the whole file,
   * so a store only marks when it knows every change a caller can make through what it
   * hands out lies inside the marked parts (top-level scalar fields are always compared).
   */
  protected touch(...path: string[]): void {
    this.#touched.set(JSON.stringify(path), path);
  }

  /** Picks up changes another process wrote since we last read or wrote the file or its log. */
  sync(): void {
    if (this.#path === undefined) return;
    const stamp = stampOf(this.#path);
    if (stamp !== undefined && !sameStamp(stamp, this.#stamp)) {
      const text = readFileIfExists(this.#path);
      if (text === undefined) return;
      this.#doc = parseJsonStore(this.#format, text, this.#path);
      this.#stamp = stamp;
      // A new file comes with a new log (or none): read that one from its start.
      this.#log = { offset: 0, ino: -1 };
      this.#touched.clear();
    }
    if (this.#readLog() === 'changed') this.#keepScalars();
  }

  /** Writes what changed (mode 0600) if the store is persistent. Call after every mutation. */
  commit(): void {
    if (this.#path === undefined || this.#logPath === undefined) return;
    if (this.#touched.size === 0 || this.#stamp === undefined) {
      this.#touched.clear();
      this.#writeWhole();
      return;
    }
    const paths = [...this.#touched.values()];
    this.#touched.clear();
    const doc = this.#doc as Record<string, unknown>;
    for (const [field, value] of this.#scalars) if (doc[field] !== value) paths.push([field]);
    const text = encodeLines(doc, paths);
    const after = appendLines(this.#logPath, text);
    // Nobody appended between our last read and this line: we need not read it back.
    const length = Buffer.byteLength(text);
    if (after.ino === this.#log.ino && after.size === this.#log.offset + length) this.#log.offset = after.size;
    else if (this.#log.ino === -1 && after.size === length) this.#log = { offset: length, ino: after.ino };
    this.#keepScalars();
  }

  /** Rewrites the file with the whole document and drops the log (its lines are in the file now). */
  #writeWhole(): void {
    if (this.#path === undefined || this.#logPath === undefined) return;
    this.#stamp = writeFileAtomic(this.#path, `${JSON.stringify(this.#doc, null, 2)}\n`, 0o600);
    rmSync(this.#logPath, { force: true });
    this.#log = { offset: 0, ino: -1 };
    this.#keepScalars();
  }

  /** Applies the log lines past our offset: `changed` when there were any, `none` without a log. */
  #readLog(): 'none' | 'same' | 'changed' {
    if (this.#logPath === undefined) return 'none';
    const log = readLines(this.#logPath, this.#log.ino === -1 ? 0 : this.#log.offset);
    if (log === undefined) return 'none';
    // Another log file than the one we read (replaced meanwhile): read it from its start.
    const read = log.ino !== this.#log.ino && this.#log.ino !== -1 ? readLines(this.#logPath, 0) : log;
    if (read === undefined) return 'none';
    for (const line of read.lines) applyLine(this.#doc as Record<string, unknown>, line);
    this.#log = { offset: read.end, ino: read.ino };
    return read.lines.length > 0 ? 'changed' : 'same';
  }

  #keepScalars(): void {
    this.#scalars.clear();
    for (const [field, value] of Object.entries(this.#doc as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) this.#scalars.set(field, value);
    }
  }
}
