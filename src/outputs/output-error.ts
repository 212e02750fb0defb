/**
 * The error every sink throws. It names the output (type and label: its path as written
 * in the config, or where it delivers) and the reason; it never carries secret material,
 * because sinks build their messages only from paths, names, HTTP statuses and Node's own
 * fs errors (which name paths, not data), and scrub whatever else they show.
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
  /** An `exec` output's command could not be started, exited non-zero or timed out. */
  command: 'KP_OUTPUT_E0006',
  /** A secret store refused or failed the write (HTTP status, conflict, unreachable). */
  store: 'KP_OUTPUT_E0007',
  /** A secret store rejected the token the output names (401/403). */
  auth: 'KP_OUTPUT_E0008',
} as const;

/** Options of {@link OutputError}. */
export interface OutputErrorOptions {
  readonly code: (typeof OUTPUT_ERROR_CODES)[keyof typeof OUTPUT_ERROR_CODES];
  readonly source: Blame;
  readonly cause?: unknown;
  /**
   * How the output is named after its type (OutputModule.describe). Outputs without a
   * `path` must pass it; file-based outputs default to their path.
   */
  readonly label?: string;
}

/** Writing one output of a key failed. The message starts with `<type> output <label>: `. */
export class OutputError extends KeyplanError {
  /** The output's type, e.g. `env_file`. */
  readonly outputType: OutputSpec['type'];
  /** The output's `path` setting as written in the config, when it has one. */
  readonly outputPath: string | undefined;
  /** The output's name in messages: its path, or where it delivers (e.g. `secret/data/ci`). */
  readonly outputLabel: string;
  /** The reason alone, without the `<type> output <label>: ` prefix. */
  readonly reason: string;

  constructor(spec: OutputSpec, reason: string, options: OutputErrorOptions) {
    const path = typeof spec['path'] === 'string' ? spec['path'] : undefined;
    const label = options.label ?? path ?? '';
    super(`${spec.type} output${label === '' ? '' : ` ${label}`}: ${reason}`, options);
    this.outputType = spec.type;
    this.outputPath = path;
    this.outputLabel = label;
    this.reason = reason;
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
