/**
 * The CLI's streams and terminal facts, passed around instead of read globally, so
 * commands can be driven in tests. Results go to stdout, everything else to stderr.
 */
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

/** Writes a line to stdout. */
export function out(io: CliIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a line to stderr. */
export function err(io: CliIo, text: string): void {
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** The process's real streams. */
export function processIo(): CliIo {
  const env = process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    color: !noColor && process.stdout.isTTY === true,
    colorErr: !noColor && process.stderr.isTTY === true,
    interactive: process.stdin.isTTY === true && env.CI !== 'true',
  };
}
