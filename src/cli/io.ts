/**
 * The CLI's streams and terminal facts, passed around instead of read globally, so
 * commands can be driven in tests. Results go to stdout, everything else to stderr.
 */
import { isatty } from 'node:tty';
import { outputClosed, watchOutput } from './closed-output.js';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Colour on stdout: only on a TTY and never with NO_COLOR. */
  readonly color: boolean;
  /** Colour on stderr, same rule. */
  readonly colorErr: boolean;
  /** Whether a person can answer a prompt. */
  readonly interactive: boolean;
}

/** Writes a line to stdout (nothing once its reader is gone, closed-output.ts). */
export function out(io: CliIo, text: string): void {
  if (outputClosed(io.stdout)) return;
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a line to stderr (nothing once its reader is gone). */
export function err(io: CliIo, text: string): void {
  if (outputClosed(io.stderr)) return;
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Whether to colour a stream, by the common conventions: FORCE_COLOR=0 (or false) turns
 * colour off and any other FORCE_COLOR (1, 2, 3, empty) turns it on even off a terminal;
 * otherwise NO_COLOR (non-empty) or TERM=dumb turn it off, and a terminal turns it on.
 */
export function colorWanted(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** The process's real streams; a closed one (`| head`) drops what is written to it instead of crashing (closed-output.ts). */
export function processIo(): CliIo {
  const env = process.env;
  watchOutput(process.stdout, 'stdout');
  watchOutput(process.stderr, 'stderr');
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Made on first read: a command that reads no input does not load the stream's code
    // (node:fs's streams, for a file or /dev/null).
    get stdin() {
      return process.stdin;
    },
    env,
    color: colorWanted(env, process.stdout.isTTY === true),
    colorErr: colorWanted(env, process.stderr.isTTY === true),
    interactive: isatty(0) && env.CI !== 'true',
  };
}
