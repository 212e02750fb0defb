/**
 * The CLI's one place that turns an error into text: the message and its causes for
 * user and provider errors, every diagnostic of a config error, a stack only with
 * --debug, and an "open an issue" hint for keyplan's own bugs.
 */
import { ConfigError, KeyplanError } from '../errors/errors.js';
import { formatDiagnostic } from '../errors/diagnostic.js';
import { redactText } from '../log/logger.js';
import { err, type CliIo } from './io.js';

/** Prints `error` on stderr. */
export function reportError(io: CliIo, error: unknown, debug: boolean): void {
  if (error instanceof ConfigError) {
    for (const d of error.diagnostics) err(io, redactText(formatDiagnostic(d)));
    err(io, redactText(`Error: ${error.message}`));
    return;
  }
  if (error instanceof KeyplanError && error.source !== 'internal') {
    err(io, redactText(`Error: ${error.message}`));
    for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
      if (!error.message.includes(cause.message)) err(io, redactText(`  caused by: ${cause.message}`));
    }
    if (debug && error.stack) err(io, redactText(error.stack));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  err(io, redactText(`Error: ${message}`));
  err(io, 'This is a bug in keyplan. Please open an issue with the command you ran and the output of KEYPLAN_LOG=debug.');
  if (error instanceof Error && error.stack) err(io, redactText(debug ? error.stack : error.stack.split('\n').slice(0, 4).join('\n')));
}
