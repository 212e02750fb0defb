/**
 * Runs keyplan's `main` in this process with captured streams, for CLI tests that need
 * precise timing or a state lock held by the test itself (the built CLI in a child process
 * is test/helpers/cli.ts).
 */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

/** What one in-process run printed and returned. */
export interface MainRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run `main`. */
export interface MainOptions {
  readonly env?: Record<string, string>;
  /** The whole of stdin. @default '' */
  readonly stdin?: string;
  /** Sees each chunk of stdout and stderr as it is written, e.g. to act when a message appears. */
  readonly onOutput?: (chunk: string) => void;
}

/** Runs `keyplan ...argv`; never a terminal, no colour. */
export async function runMain(argv: readonly string[], options: MainOptions = {}): Promise<MainRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
    options.onOutput?.(d.toString());
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
    options.onOutput?.(d.toString());
  });
  stdin.end(options.stdin ?? '');
  const io: CliIo = { stdout, stderr, stdin, env: options.env ?? {}, color: false, colorErr: false, interactive: false };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}
