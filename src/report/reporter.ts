/**
 * How the engine talks to its host (the CLI, or a test): events with a level, a stable
 * code and a message. The engine never writes to the console itself. The codes, their
 * levels and their data are registered in codes.ts.
 */
import { isApplyHookCode, REPORT_CODES, type ApplyHookCode, type ReportCode, type ReportEventData } from './codes.js';

export type ReportLevel = 'debug' | 'info' | 'warn' | 'error';

/** One event of code `C`, at its registered level. `data` holds no secrets. */
export type ReportEventOf<C extends ReportCode> = {
  readonly level: (typeof REPORT_CODES)[C]['level'];
  readonly code: C;
  readonly message: string;
  readonly data: ReportEventData[C];
};

/** One event: a union over the registered codes, so `event.code` narrows `event.data`. */
export type ReportEvent = { readonly [C in ReportCode]: ReportEventOf<C> }[ReportCode];

/** An apply lifecycle event (start, progress, complete, errored). */
export type ApplyHookEvent = Extract<ReportEvent, { readonly code: ApplyHookCode }>;

/** Whether `event` is an apply lifecycle event. */
export function isApplyHookEvent(event: ReportEvent): event is ApplyHookEvent {
  return isApplyHookCode(event.code);
}

/** Receives the engine's events. */
export interface Reporter {
  notify(event: ReportEvent): void;
}

/** A reporter that drops everything. */
export const silentReporter: Reporter = { notify: () => undefined };
