/** Prints engine events for a person: progress and warnings on stderr, debug to the log. */
import { logger } from '../log/logger.js';
import type { ReportEvent, Reporter } from '../report/reporter.js';
import { err, type CliIo } from './io.js';

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** The Reporter of the human views: one line per event on stderr, coloured by level on a terminal. */
export class TerminalReporter implements Reporter {
  readonly #io: CliIo;

  constructor(io: CliIo) {
    this.#io = io;
  }

  /** Prints `event` (debug events go only to the log). */
  notify(event: ReportEvent): void {
    logger().log(event.level, event.message, { code: event.code });
    if (event.level === 'debug') return;
    const c = this.#io.colorErr;
    if (event.level === 'error') err(this.#io, c ? `${RED}${event.message}${RESET}` : event.message);
    else if (event.level === 'warn') err(this.#io, c ? `${YELLOW}${event.message}${RESET}` : event.message);
    else err(this.#io, c && event.code === 'apply_complete' ? `${BOLD}${event.message}${RESET}` : event.message);
  }
}
