/**
 * The error every sink throws. It names the output (type and path as written in the
 * config) and the reason; it never carries secret material, because sinks build their
 * messages only from paths, names and Node's own fs errors (which name paths, not data).
 */
import { KeyplanError, type Blame } from '../errors/errors.js';
import type { OutputSpec } from '../model/desired.js';

/** Stable codes of output failures. */
export const OUTPUT_ERROR_CODES = {
  /** The file system refused: missing permission, a path component that is a file, a full disk. */
  io: 'KP_OUTPUT_E0001',
  /** A config-file profile exists that keyplan did not write for this key. */
  notOwned: 'KP_OUTPUT_E0002',
  /** The provider adapter did not hand over a value this output needs (a bug in the adapter). */
  material: 'KP_OUTPUT_E0003',
  /** The output's declaration cannot work (e.g. a profile output without the file output it points at). */
  config: 'KP_OUTPUT_E0004',
  /** The existing file is not something keyplan can safely merge into. */
  existing: 'KP_OUTPUT_E0005',
} as const;

/** Options of {@link OutputError}. */
export interface OutputErrorOptions {
  readonly code: (typeof OUTPUT_ERROR_CODES)[keyof typeof OUTPUT_ERROR_CODES];
  readonly source: Blame;
  readonly cause?: unknown;
}

/** Writing one output of a key failed. The message starts with `<type> output <path>: `. */
export class OutputError extends KeyplanError {
  /** The output's type, e.g. `env_file`. */
  readonly outputType: OutputSpec['type'];
  /** The output's path as written in the config. */
  readonly outputPath: string;

  constructor(spec: OutputSpec, reason: string, options: OutputErrorOptions) {
    super(`${spec.type} output ${spec.path}: ${reason}`, options);
    this.outputType = spec.type;
    this.outputPath = spec.path;
  }
}

/** Wraps a file-system failure while writing `absPath` for `spec`. */
export function ioOutputError(spec: OutputSpec, absPath: string, cause: unknown): OutputError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new OutputError(spec, `cannot write ${absPath}: ${detail}`, {
    code: OUTPUT_ERROR_CODES.io,
    source: 'user',
    cause,
  });
}
