/**
 * Every event code the engine reports, registered once with its level and the shape of
 * its `data` (as the AWS CDK registers its IoMessage codes). A code that is not here
 * cannot be reported: `notify({ code: 'typo' })` does not compile. Hosts may rely on
 * `data` having the registered shape; the JSON stream turns the apply codes into events
 * of the same `type`.
 */
import type { Action } from '../model/plan.js';

/** Which change an apply event is about. */
export interface ChangeEventData {
  readonly name: string;
  readonly address: string;
  readonly action: Action;
}

/** The scope (provider block, kind, owner) a refresh reads. */
export interface ScopeEventData {
  readonly provider: string;
  readonly kind: string;
  readonly owner: string;
}

/** The `data` of each code. */
export interface ReportEventData {
  /** Reading one scope's live keys was asked for (the call starts when its block's limiter has a slot). */
  readonly refresh_start: ScopeEventData;
  /** Refresh's own wall time, with KEYPLAN_TIMINGS=1: `ms` from the first list call to the last answer. */
  readonly refresh_timing: {
    readonly ms: number;
    readonly cpuMs: number;
    readonly listCalls: number;
    readonly callsByProvider: Readonly<Record<string, number>>;
  };
  /** A change started. */
  readonly apply_start: ChangeEventData;
  /** A change is still running (a heartbeat). */
  readonly apply_progress: ChangeEventData & { readonly elapsedSeconds: number };
  /** A change finished; `id` is the key it created, if any. */
  readonly apply_complete: ChangeEventData & { readonly id?: string | undefined };
  /** A change failed (its dependents are skipped, not reported as errors). */
  readonly apply_errored: ChangeEventData;
  /** A change did not run: a dependency failed, or the run was interrupted. */
  readonly apply_skipped: { readonly name: string; readonly address: string };
  /** The config loaded with a warning (`code` is its KP code, `path` the place in the config). */
  readonly config_warning: { readonly code: string; readonly path?: string };
  /** The state store lost its lock mid-apply (a database connection lost): no further change starts. `code` is the KP code. */
  readonly state_lock_lost: { readonly state: string; readonly code: string };
  /** A provider call failed and is tried again after `delayMs` (`ReadAccessKeys: 429, retrying in 2s (attempt 2 of 4)`). */
  readonly provider_retry: {
    readonly provider: string;
    readonly operation: string;
    readonly reason: string;
    readonly delayMs: number;
    readonly attempt: number;
    readonly maxAttempts: number;
  };
  /** Another run holds the state lock; this run waits up to `timeoutMs` for it (`--lock-timeout`). */
  readonly state_lock_wait: { readonly lockId: string; readonly holder: string; readonly operation: string; readonly timeoutMs: number };
}

/** An event code. */
export type ReportCode = keyof ReportEventData;

/** The level each code is reported at. */
export const REPORT_CODES = {
  refresh_start: { level: 'debug' },
  refresh_timing: { level: 'info' },
  apply_start: { level: 'info' },
  apply_progress: { level: 'info' },
  apply_complete: { level: 'info' },
  apply_errored: { level: 'error' },
  apply_skipped: { level: 'warn' },
  config_warning: { level: 'warn' },
  state_lock_lost: { level: 'error' },
  state_lock_wait: { level: 'warn' },
  provider_retry: { level: 'warn' },
} as const satisfies Readonly<Record<ReportCode, { readonly level: 'debug' | 'info' | 'warn' | 'error' }>>;

/** The apply lifecycle codes, which the JSON stream emits as events of their own type. */
export const APPLY_HOOK_CODES = ['apply_start', 'apply_progress', 'apply_complete', 'apply_errored'] as const satisfies readonly ReportCode[];

/** An apply lifecycle code. */
export type ApplyHookCode = (typeof APPLY_HOOK_CODES)[number];

/** Whether `code` is one of the apply lifecycle codes. */
export function isApplyHookCode(code: ReportCode): code is ApplyHookCode {
  return (APPLY_HOOK_CODES as readonly ReportCode[]).includes(code);
}
