/**
 * `keyplan plan`: refresh, plan, print (human, JSON or Markdown), optionally save the plan
 * for `keyplan apply FILE`, and append the Markdown to a GitHub job summary when
 * `$GITHUB_STEP_SUMMARY` is set. Takes the state lock; changes nothing at the providers.
 */
import { hasChanges } from '../../engine.js';
import { renderPlanMarkdown } from '../../render/markdown.js';
import { keyplanVersion } from '../../version.js';
import { COMMON_OPTIONS, LOCK_OPTIONS, lockTimeoutHelp, lockTimeoutMs, parse } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { chosenFormat, FORMAT_OPTIONS, planView } from '../views/plan-view.js';
import { appendStepSummary } from '../step-summary.js';
import { inWorkspace } from './common.js';

/** The text of `keyplan plan --help`. */
export const PLAN_HELP = `Usage: keyplan plan [-f keys.yaml] [--out FILE] [--json | --format human|json|markdown]
                    [--detailed-exitcode] [--target NAME]... [--rotate NAME]... [--lock-timeout DURATION]

Reads the live keys from every provider, compares them with keys.yaml and the state,
and prints what apply would do. Changes nothing.

Options:
  -f, --file FILE         config file (default keys.yaml)
  --out FILE              also save the plan to FILE (mode 0600, no secrets); "keyplan apply FILE"
                          then makes exactly these changes, or refuses (exit 3) if anything moved
  --format FORMAT         human (default), json (one document, schemas/plan.schema.json) or markdown
  --json                  same as --format json
  --detailed-exitcode     exit 0 when there are no changes, 2 when there are, 1 on error
  --target NAME           plan only this key and the keys it depends on (repeatable)
  --rotate NAME           rotate this key now, whatever its age (repeatable)
${lockTimeoutHelp(26)}
  --no-color              no colour (also NO_COLOR=1; colour is only used on a terminal)

"Changes" means any create, rotate, update, delete, retire or import. Unmanaged keys and
warnings alone are not changes. With $GITHUB_STEP_SUMMARY set, the plan is also appended
there as Markdown (never past GitHub's 1 MiB limit).
`;

/** Options of `keyplan plan`. */
export const PLAN_OPTIONS = {
  ...COMMON_OPTIONS,
  ...FORMAT_OPTIONS,
  ...LOCK_OPTIONS,
  out: { type: 'string' },
  'detailed-exitcode': { type: 'boolean', default: false },
  target: { type: 'string', multiple: true },
  rotate: { type: 'string', multiple: true },
} as const;

/** Runs `keyplan plan`; resolves to the exit code (0/2 with --detailed-exitcode, 1 for a plan with errors). */
export async function planCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('plan', argv, PLAN_OPTIONS, false);
  if (values.help) return (out(io, PLAN_HELP), ExitCode.Ok);
  const view = planView(io, chosenFormat('plan', values), io.color && !values['no-color']);
  const req = { targets: values.target ?? [], rotate: values.rotate ?? [] };
  const saveTo = values.out;
  const lockTimeout = lockTimeoutMs('plan', values['lock-timeout']);
  return inWorkspace(
    io,
    values.file,
    async (ws) => {
      const result = await ws.planLocked(req);
      const { plan, state } = result;
      const meta = { keyplanVersion: keyplanVersion(), configHash: ws.config.hash, stateLineage: state.lineage, stateSerial: state.serial };
      const title = `keyplan plan: ${ws.config.file}`;
      // Without a saved plan, the full human view of a fresh plan is what shows everything.
      const showCommand = saveTo !== undefined ? `keyplan show ${saveTo}` : `keyplan plan -f ${ws.config.file}`;
      view.show(plan, { meta, title, showCommand });
      const missing = ws.missingPassphrases(plan);
      if (missing.length > 0) view.warn(`\nWarning: apply will need the passphrase variable(s) ${missing.join(', ')}, which are not set here.`);
      const tokens = ws.missingOutputVariables(plan);
      if (tokens.length > 0) view.warn(`\nWarning: apply will need the output token variable(s) ${tokens.join(', ')}, which are not set here.`);

      const summaryFile = io.env.GITHUB_STEP_SUMMARY;
      if (summaryFile !== undefined && summaryFile !== '') {
        const written = await appendStepSummary(summaryFile, (maxLength) => renderPlanMarkdown(plan, { title, maxLength, showCommand }));
        if (!written.written) view.warn(`\nWarning: the plan was not added to the job summary ($GITHUB_STEP_SUMMARY): ${written.why}.`);
      }

      if (saveTo !== undefined) {
        if (plan.errored) {
          view.warn(`\nThe plan has errors, so it was not saved to ${saveTo}.`);
        } else {
          await ws.savePlan(saveTo, result, req);
          view.note(`\nSaved the plan to: ${saveTo}\n\nTo make exactly these changes, run:\n    keyplan apply ${saveTo}`);
        }
      }
      if (plan.errored) return ExitCode.Error;
      if (values['detailed-exitcode']) return hasChanges(plan) ? ExitCode.Changes : ExitCode.Ok;
      return ExitCode.Ok;
    },
    { interruptible: true, lockTimeoutMs: lockTimeout },
  );
}
