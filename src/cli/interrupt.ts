/**
 * Ctrl-C during a run. The first interrupt aborts gracefully: no new step starts, steps
 * in flight finish and are recorded in state, the lock is released. A second interrupt
 * exits at once (state still holds every step that completed, and the journal marks
 * any call in flight for the next plan). A closed stdout or stderr (closed-output.ts)
 * aborts the same graceful way, quietly.
 */
import { KeyplanError } from '../errors/errors.js';
import { onOutputClosed } from './closed-output.js';
import { CLI_CODES } from './codes.js';
import { err, type CliIo } from './io.js';

/** How many prompts are open (confirm.ts): while one is, an interrupt only cancels it. */
let promptsOpen = 0;

/**
 * Marks a prompt open until `answer` settles. An interrupt then cancels the prompt (it
 * listens for the signal itself) instead of announcing a graceful stop: nothing has
 * started yet, so there is nothing to wait for.
 */
export async function whilePrompting<T>(answer: Promise<T>): Promise<T> {
  promptsOpen++;
  try {
    return await answer;
  } finally {
    promptsOpen--;
  }
}

/**
 * The abort reason. A step that was waiting when the signal fired (a refresh, a retry's
 * sleep) may end with it, so it must read as the user's doing, not as a bug in keyplan.
 */
function stopped(message: string): KeyplanError {
  return new KeyplanError(message, { code: CLI_CODES.interrupted, source: 'user' });
}

/** An AbortSignal tied to SIGINT/SIGTERM for the life of one command; `dispose` removes the handlers. */
export function interruptSignal(io: CliIo): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (promptsOpen > 0) return;
    if (controller.signal.aborted) {
      err(io, 'Two interrupts received. Exiting immediately; run keyplan plan to see what is left.');
      process.exit(130);
    }
    err(io, 'Interrupt received. Waiting for the steps in progress to finish and be recorded; press Ctrl-C again to exit at once.');
    controller.abort(stopped('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The reader went away (`| head`): stop as on Ctrl-C, but say nothing; no one may be reading.
  const stopWatching = onOutputClosed([io.stdout, io.stderr], () => {
    if (!controller.signal.aborted) controller.abort(stopped('interrupted: the output was closed'));
  });
  return {
    signal: controller.signal,
    dispose: () => {
      stopWatching();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
