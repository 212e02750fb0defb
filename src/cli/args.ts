/** Argument parsing on node:util parseArgs, with errors that say what to do. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeyplanError } from '../errors/errors.js';
import { CLI_CODES } from './codes.js';
import { parseDuration } from '../model/duration.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  file: { type: 'string', short: 'f', default: 'keys.yaml' },
  help: { type: 'boolean', short: 'h', default: false },
  debug: { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
} as const satisfies OptionSpec;

/** The option of every command that takes the state lock. */
export const LOCK_OPTIONS = {
  'lock-timeout': { type: 'string' },
} as const satisfies OptionSpec;

/**
 * The help of `--lock-timeout`, the same words in every command that takes it, its text
 * starting at `column` like the command's other options (on a line of its own when the
 * option name is longer).
 */
export function lockTimeoutHelp(column: number): string {
  const name = '  --lock-timeout DURATION';
  const indent = ' '.repeat(column);
  const first = name.length < column - 1 ? name.padEnd(column) : `${name}\n${indent}`;
  return `${first}wait this long (e.g. 30s, 5m) for a state lock another run holds\n${indent}before failing (default 0s: fail at once)`;
}

/** A usage mistake: the message names the command's --help. */
export class UsageError extends KeyplanError {
  constructor(command: string, message: string) {
    super(`${message}\nRun "keyplan ${command} --help" for usage.`, { code: CLI_CODES.usage, source: 'user' });
  }
}

/**
 * Parses `argv` for `command`; unknown options and bad values become UsageError. A
 * Terraform-style single-dash long option (`-auto-approve`, `-out=x.kp`) is refused with
 * the two-dash spelling to use, rather than read as a bundle of short options.
 */
export function parse<O extends OptionSpec>(command: string, argv: readonly string[], options: O, allowPositionals: boolean) {
  checkSingleDash(command, argv, options);
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(command, error instanceof Error ? error.message : String(error));
  }
}

/** Parses `--lock-timeout` (`30s`, `5m`, `1m30s`, `500ms`) into ms. @default 0 */
export function lockTimeoutMs(command: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(command, `--lock-timeout must be a duration such as 30s, 5m or 500ms, got "${value}"`);
  return ms;
}

/** Parses a positive whole number option. */
export function positiveInt(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(command, `--${name} must be a whole number of at least 1, got "${value}"`);
  return n;
}

/**
 * Refuses `-name` and `-name=value` where `name` is longer than one letter. keyplan follows
 * the POSIX/GNU convention (two dashes for long options); accepting Terraform's one-dash
 * spelling as well would make `-fkeys.yaml`-style short options ambiguous, so the error
 * names the spelling to use instead.
 */
function checkSingleDash(command: string, argv: readonly string[], options: OptionSpec): void {
  const takesValue = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type === 'string') {
      takesValue.add(`--${name}`);
      if (spec.short !== undefined) takesValue.add(`-${spec.short}`);
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return;
    if (takesValue.has(arg)) {
      i++; // the next word is this option's value, whatever it looks like
      continue;
    }
    const match = /^-([a-zA-Z][a-zA-Z0-9-]+)(=.*)?$/.exec(arg);
    if (match === null) continue;
    const name = match[1] as string;
    const first = Object.values(options).find((o) => o.short === name[0]);
    // "-fkeys.yaml" style: a short string option with its value attached.
    if (first?.type === 'string' && match[2] === undefined && !(name in options)) continue;
    const suggestion = name in options ? `Did you mean "-${arg}"?` : `keyplan's options take two dashes, and "keyplan ${command}" has no --${name}.`;
    throw new UsageError(command, `unknown option "${arg}". ${suggestion}`);
  }
}
