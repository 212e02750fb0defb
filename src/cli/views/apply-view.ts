/**
 * What `keyplan apply` prints, chosen once at start-up (after Terraform's
 * internal/command/views): text for a person, or the NDJSON event stream with `--json`.
 * The command asks the view, never `if (json)`; the engine reaches it through the
 * Reporter and the apply hooks.
 */
import type { ApplyOutcome } from '../../engine.js';
import { InternalError } from '../../errors/errors.js';
import type { Plan } from '../../model/plan.js';
import type { Reporter } from '../../report/reporter.js';
import { renderPlanHuman } from '../../render/human.js';
import { applySummarySentence, isPartialApply, planSummarySentence } from '../../render/summary.js';
import { keyplanVersion } from '../../version.js';
import { confirmApply } from '../confirm.js';
import { err, out, type CliIo } from '../io.js';
import { applyOutcomeLines, applyOutcomes } from '../apply-outcomes.js';
import { JsonReporter } from '../json-reporter.js';
import { TerminalReporter } from '../terminal-reporter.js';

/** One apply run's output. */
export interface ApplyView {
  /** Where the engine's events go (progress, warnings, apply hooks). */
  readonly reporter: Reporter;
  /** The first output of the run. */
  begin(): void;
  /** The plan about to be carried out, before anything changes. */
  planned(plan: Plan): void;
  /** Asks for approval of a plan with changes. */
  confirm(plan: Plan): Promise<boolean>;
  /** Approved; the first change starts now. */
  applying(): void;
  /** How the run ended. */
  outcome(outcome: ApplyOutcome): void;
  /** An error that ends the command (the CLI still prints it on stderr and sets the exit code). */
  failed(error: unknown): void;
}

/** What the human view needs to know. */
export interface HumanApplyOptions {
  readonly color: boolean;
  /** The plan file being applied, if any: its plan was reviewed already, so only its summary is shown. */
  readonly savedPlanFile?: string | undefined;
}

/** Text: the plan and the summary on stdout, progress and the prompt on stderr. */
export function humanApplyView(io: CliIo, options: HumanApplyOptions): ApplyView {
  const saved = options.savedPlanFile;
  return {
    reporter: new TerminalReporter(io),
    begin: () => undefined,
    planned(plan) {
      if (saved !== undefined) out(io, `Applying the saved plan ${saved}. ${planSummarySentence(plan.summary)}`);
      if (saved === undefined || plan.errored) out(io, renderPlanHuman(plan, { color: options.color }));
    },
    confirm: () => confirmApply(io),
    applying: () => out(io, ''),
    outcome(outcome) {
      switch (outcome.kind) {
        case 'errored':
          return;
        case 'no_changes':
          // A fresh plan has said "No changes." already.
          if (saved !== undefined) out(io, 'No changes to make.');
          return;
        case 'cancelled':
          err(io, '\nApply cancelled.');
          return;
        case 'applied': {
          const counts = outcome.result.counts;
          const advice = isPartialApply(counts) ? ' State records what succeeded; run keyplan plan to see what is left.' : '';
          out(io, `\n${applySummarySentence(counts)}${advice}`);
          // Name the keys: the errors above may have scrolled away, and CI logs are long.
          for (const line of applyOutcomeLines(outcome.plan, outcome.result)) out(io, line);
        }
      }
    },
    failed: () => undefined,
  };
}

/** `--json`: every line of stdout is one event (see json-reporter.ts); nothing else is printed there. */
export function jsonApplyView(io: CliIo): ApplyView {
  const stream = new JsonReporter(io);
  return {
    reporter: stream,
    begin: () => stream.version(keyplanVersion()),
    planned: (plan) => stream.plan(plan),
    confirm: () => {
      // The command refuses `--json` without `--auto-approve` or a plan file before it starts.
      throw new InternalError('Expected apply --json to run with --auto-approve or a plan file, got a request for approval');
    },
    applying: () => undefined,
    outcome(outcome) {
      if (outcome.kind === 'no_changes') stream.applySummary({ created: 0, rotated: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 });
      else if (outcome.kind === 'applied') stream.applySummary(outcome.result.counts, applyOutcomes(outcome.plan, outcome.result));
    },
    failed: (error) => stream.error(error),
  };
}
