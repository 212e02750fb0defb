/**
 * The persistence half of every emulator's store: one JSON document kept in memory and,
 * with a data folder, written through to `<dataDir>/<file>` (atomically, mode 0600: the
 * documents hold the sandbox's secrets). Each request first calls `sync()`, which re-reads
 * the file only when another process replaced it, so a `sandbox serve` and CLI runs can
 * share one sandbox. The document's fields and their checks stay in each emulator.
 */
import { join } from 'node:path';
import { readFileIfExists, sameStamp, stampOf, writeFileAtomic, type FileStamp } from './persist.js';

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
  #doc: D;
  #stamp: FileStamp | undefined;
  /** True when the document was read from the data folder, false when `fresh()` made it. */
  readonly loaded: boolean;

  /**
   * Reads the document from `dataDir` when the file exists, else starts from `fresh()`,
   * which is written from the first `commit()` (never, without a data folder).
   */
  constructor(format: JsonStoreFormat<D>, dataDir: string | undefined, fresh: () => D) {
    this.#format = format;
    const path = dataDir === undefined ? undefined : join(dataDir, format.file);
    this.#path = path;
    // Stamp before reading: if the file changes in between, the next sync() reads it again.
    const stamp = path === undefined ? undefined : stampOf(path);
    const text = path === undefined ? undefined : readFileIfExists(path);
    if (path !== undefined && text !== undefined) {
      this.#doc = parseJsonStore(format, text, path);
      this.#stamp = stamp;
      this.loaded = true;
    } else {
      this.#doc = fresh();
      this.loaded = false;
    }
  }

  /** The current document; mutate it, then `commit()`. */
  protected get doc(): D {
    return this.#doc;
  }

  /** Picks up changes another process wrote since we last read or wrote the file. */
  sync(): void {
    if (this.#path === undefined) return;
    const stamp = stampOf(this.#path);
    if (stamp === undefined || sameStamp(stamp, this.#stamp)) return;
    const text = readFileIfExists(this.#path);
    if (text === undefined) return;
    this.#doc = parseJsonStore(this.#format, text, this.#path);
    this.#stamp = stamp;
  }

  /** Writes the document (mode 0600) if the store is persistent. Call after every mutation. */
  commit(): void {
    if (this.#path === undefined) return;
    this.#stamp = writeFileAtomic(this.#path, `${JSON.stringify(this.#doc, null, 2)}\n`, 0o600);
  }
}
