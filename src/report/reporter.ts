/**
 * How the engine talks to its host (the CLI, or a test): events with a level, a stable
 * code and a message. The engine never writes to the console itself.
 */

export type ReportLevel = 'debug' | 'info' | 'warn' | 'error';

/** One event. `data` holds no secrets. */
export interface ReportEvent {
  readonly level: ReportLevel;
  /** e.g. `apply_start`, `apply_progress`, `apply_complete`, `apply_errored`, `refresh_start`. */
  readonly code: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface Reporter {
  notify(event: ReportEvent): void;
}

/** A reporter that drops everything. */
export const silentReporter: Reporter = { notify: () => undefined };
