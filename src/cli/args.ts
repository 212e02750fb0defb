/** Argument parsing on node:util parseArgs, with errors that say what to do. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeyplanError } from '../errors/errors.js';
import { CLI_CODES } from './codes.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  file: { type: 'string', short: 'f', default: 'keys.yaml' },
  help: { type: 'boolean', short: 'h', default: false },
  debug: { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
} as const satisfies OptionSpec;

/** A usage mistake: the message names the command's --help. */
export class UsageError extends KeyplanError {
  constructor(command: string, message: string) {
    super(`${message}\nRun "keyplan ${command} --help" for usage.`, { code: CLI_CODES.usage, source: 'user' });
  }
}

/** Parses `argv` for `command`; unknown options and bad values become UsageError. */
export function parse<O extends OptionSpec>(command: string, argv: readonly string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(command, error instanceof Error ? error.message : String(error));
  }
}

/** Parses a positive whole number option. */
export function positiveInt(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(command, `--${name} must be a whole number of at least 1, got "${value}"`);
  return n;
}
