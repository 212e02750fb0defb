/**
 * `apply --json`: the machine-readable event stream, one JSON object per line on stdout,
 * after Terraform's streaming JSON UI. The first line is `type: version`; then the
 * planned changes and their summary, the apply hooks (`apply_start`, `apply_progress`,
 * `apply_complete`, `apply_errored`), diagnostics, and the final `change_summary`.
 *
 * Every line has `type`, `@level` (info|warn|error), `@message` (what a person would read)
 * and `@module`. Apply hooks also carry `@timestamp`; plan events carry none, so the same
 * plan streams the same lines. Consumers must ignore fields they do not know (the `ui`
 * minor version grows) and show `@message` of types they do not know. Messages are
 * scrubbed of key material like the debug log, as a second line of defence.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import { ConfigError, KeyplanError } from '../errors/errors.js';
import { logger, redactText } from '../log/logger.js';
import type { Plan, PlannedChange } from '../model/plan.js';
import { isApplyHookEvent, type ApplyHookEvent, type ReportEvent, type Reporter } from '../report/reporter.js';
import { applySummarySentence, isPartialApply, planSummarySentence, type ApplyCounts } from '../render/summary.js';
import type { FailedKey, SkippedKey } from './apply-outcomes.js';
import type { CliIo } from './io.js';
import { APPLY_CODES } from '../apply/codes.js';
import { INTERNAL_CODES } from '../errors/codes.js';

/** Version of the event stream's shape, in the `version` line. */
export const JSON_UI_VERSION = '1.0';

type Level = 'info' | 'warn' | 'error';
type Line = Readonly<Record<string, unknown>>;

/** Writes keyplan's NDJSON events to stdout; also the engine's Reporter during apply. */
export class JsonReporter implements Reporter {
  readonly #io: CliIo;
  readonly #now: () => number;
  readonly #changes = new Map<string, PlannedChange>();
  readonly #started = new Map<string, number>();

  /** @param now clock for `@timestamp` and elapsed seconds. @default Date.now */
  constructor(io: CliIo, now: () => number = Date.now) {
    this.#io = io;
    this.#now = now;
  }

  /** The first line of every stream. */
  version(keyplanVersion: string): void {
    this.#emit('info', `keyplan ${keyplanVersion}`, 'version', { keyplan: keyplanVersion, ui: JSON_UI_VERSION });
  }

  /** One `planned_change` per change, the plan's diagnostics, then its `change_summary`. */
  plan(plan: Plan): void {
    for (const change of plan.changes) {
      this.#changes.set(change.address, change);
      this.#emit('info', `${change.address}: plan to ${change.action} (${change.reason})`, 'planned_change', {
        change: {
          resource: resourceOf(change),
          action: change.action,
          reason: change.reason,
          ...(change.order === undefined ? {} : { order: change.order }),
          deletes: change.deletes.map((d) => d.id),
        },
      });
    }
    for (const d of plan.diagnostics) this.diagnostic(d);
    const s = plan.summary;
    this.#emit('info', planSummarySentence(s), 'change_summary', {
      changes: { create: s.create, rotate: s.rotate, update: s.update, delete: s.delete, import: s.import, operation: 'plan' },
    });
  }

  /** The last line of a finished apply; `outcomes` names the keys that failed and were skipped (why), as the human view does. */
  applySummary(c: ApplyCounts, outcomes?: { readonly failed: readonly FailedKey[]; readonly skipped: readonly SkippedKey[] }): void {
    this.#emit(isPartialApply(c) ? 'warn' : 'info', applySummarySentence(c), 'change_summary', {
      changes: { create: c.created, rotate: c.rotated, update: c.updated, delete: c.deleted, failed: c.failed, skipped: c.skipped, operation: 'apply' },
      ...(outcomes === undefined || !isPartialApply(c)
        ? {}
        : {
            failed: outcomes.failed.map((f) => ({ name: f.name, addr: f.address, action: f.action, error: f.error })),
            skipped: outcomes.skipped.map((k) => ({
              name: k.name,
              addr: k.address,
              reason: k.reason,
              ...(k.dependsOn === undefined ? {} : { depends_on: k.dependsOn }),
            })),
          }),
    });
  }

  /** A planner or config diagnostic. */
  diagnostic(d: Diagnostic, address?: string): void {
    const level: Level = d.severity === 'error' ? 'error' : 'warn';
    this.#emit(level, `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.message}`, 'diagnostic', {
      diagnostic: {
        severity: d.severity,
        code: d.code,
        summary: redactText(d.message),
        ...(address === undefined ? {} : { address }),
        ...(d.path === undefined ? {} : { path: d.path }),
        ...(d.range === undefined ? {} : { range: d.range }),
      },
    });
  }

  /** An error that ends the command, as an error diagnostic (the CLI still prints it on stderr and sets the exit code). */
  error(error: unknown): void {
    // A config error's diagnostics carry the keys.yaml positions (`range`); each is one line.
    if (error instanceof ConfigError) for (const d of error.diagnostics) this.diagnostic(d);
    const code = error instanceof KeyplanError ? error.code : INTERNAL_CODES.bug;
    this.diagnostic({ severity: 'error', code, message: error instanceof Error ? error.message : String(error) });
  }

  /** Engine events: apply hooks become their own types; warnings and errors diagnostics; the rest `log`. */
  notify(event: ReportEvent): void {
    logger().log(event.level, event.message, { code: event.code });
    if (event.level === 'debug') return;
    const address = 'address' in event.data ? event.data.address : undefined;
    const change = address === undefined ? undefined : this.#changes.get(address);
    if (isApplyHookEvent(event) && change !== undefined) {
      this.#hook(event, change);
      if (event.code === 'apply_errored') this.diagnostic({ severity: 'error', code: APPLY_CODES.stepFailed, message: event.message }, change.address);
      return;
    }
    if (event.level === 'warn' || event.level === 'error') {
      this.diagnostic({ severity: event.level === 'error' ? 'error' : 'warning', code: event.code, message: event.message }, address);
      return;
    }
    this.#emit('info', event.message, 'log', {});
  }

  #hook(event: ApplyHookEvent, change: PlannedChange): void {
    const now = this.#now();
    if (event.code === 'apply_start') this.#started.set(change.address, now);
    const started = this.#started.get(change.address) ?? now;
    const id = event.code === 'apply_complete' ? event.data.id : undefined;
    const hook = {
      resource: resourceOf(change),
      action: change.action,
      ...(event.code === 'apply_start' ? {} : { elapsed_seconds: Math.max(0, Math.round((now - started) / 1000)) }),
      ...(id === undefined ? {} : { id_key: 'id', id_value: id }),
    };
    this.#emit(event.level === 'error' ? 'error' : 'info', event.message, event.code, { '@timestamp': new Date(now).toISOString(), hook });
  }

  #emit(level: Level, message: string, type: string, fields: Line): void {
    // `type` is set by this class alone; fields never carry one.
    const line = { '@level': level, '@message': redactText(message), '@module': 'keyplan.ui', type, ...fields };
    this.#io.stdout.write(`${redactText(JSON.stringify(line))}\n`);
  }
}

function resourceOf(change: PlannedChange): Line {
  return { addr: change.address, name: change.name, kind: change.kind, provider: change.provider, owner: change.owner };
}
