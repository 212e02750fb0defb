/**
 * `keyplan apply`: without a plan file, plan, show, ask (unless --auto-approve), apply,
 * summarise. With a plan file (`keyplan apply plan.kp`), ask nothing: check that the saved
 * plan still matches the config, the state and the live keys (exit 3 naming what moved
 * if not), then make exactly its changes. `--json` streams NDJSON events instead of text.
 * The engine does all of it (Workspace.planAndApply, applySaved); this file parses the
 * flags, picks the view once and maps the outcome to an exit code.
 */
import { Workspace, type ApplyHooks, type ApplyOutcome } from '../../engine.js';
import { isPartialApply } from '../../render/summary.js';
import { COMMON_OPTIONS, LOCK_OPTIONS, lockTimeoutHelp, lockTimeoutMs, parse, positiveInt, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { humanApplyView, jsonApplyView, type ApplyView } from '../views/apply-view.js';
import { inWorkspace } from './common.js';
import { planCutShort } from '../closed-output.js';

/** The text of `keyplan apply --help`. */
export const APPLY_HELP = `Usage: keyplan apply [-f keys.yaml] [--auto-approve] [--parallelism N] [--json] [--target NAME]... [--rotate NAME]...
                     [--lock-timeout DURATION]
       keyplan apply PLANFILE [--parallelism N] [--json] [-f keys.yaml] [--lock-timeout DURATION]

Without PLANFILE: plans like "keyplan plan", shows the plan, asks for approval, then
creates, rotates, updates and deletes keys in dependency order.

With PLANFILE (written by "keyplan plan --out PLANFILE"): asks nothing and makes exactly
the saved changes, after checking that nothing moved since the plan was made: the same
keyplan version, the same config file bytes, the same state (lineage and serial), the
same live keys, and the same changes from a fresh plan. Otherwise it changes nothing and
exits 3, naming what moved. Planning options (--target, --rotate) are refused: the plan
file fixes them. -f is only needed when the config is no longer where the plan found it.

Secrets go only to the outputs declared in keys.yaml; state is saved after every
completed step.

Options:
  -f, --file FILE     config file (default keys.yaml, or the one the plan file names)
  --auto-approve      do not ask for approval (needed under CI; otherwise a piped "yes" answers)
  --parallelism N     changes carried out at once (default 10)
  --json              stream machine-readable events (NDJSON) to stdout instead of text;
                      needs --auto-approve or a PLANFILE
  --target NAME       apply only this key and the keys it depends on (repeatable)
  --rotate NAME       rotate this key now (repeatable)
${lockTimeoutHelp(22)}
  --no-color          no colour

Exit codes: 0 success, 1 error, 3 the saved plan is stale (nothing was changed),
4 some changes failed (state records what succeeded).
`;

const APPLY_OPTIONS = {
  ...COMMON_OPTIONS,
  ...LOCK_OPTIONS,
  // No default: with a plan file, the config is where the plan found it unless -f says otherwise.
  file: { type: 'string', short: 'f' },
  'auto-approve': { type: 'boolean', default: false },
  parallelism: { type: 'string' },
  json: { type: 'boolean', default: false },
  target: { type: 'string', multiple: true },
  rotate: { type: 'string', multiple: true },
} as const;

/** Runs `keyplan apply [PLANFILE]`; resolves to the exit code (0, 1, 4; a stale plan throws StalePlanError, exit 3). */
export async function applyCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('apply', argv, APPLY_OPTIONS, true);
  if (values.help) return (out(io, APPLY_HELP), ExitCode.Ok);
  if (positionals.length > 1) throw new UsageError('apply', `apply takes at most one plan file, got ${positionals.length}: ${positionals.join(' ')}`);
  const planFile = positionals[0];
  const planning = [...(values.target ?? []).map((t) => `--target ${t}`), ...(values.rotate ?? []).map((r) => `--rotate ${r}`)];
  if (planFile !== undefined && planning.length > 0) {
    throw new UsageError(
      'apply',
      `a saved plan is applied as it was made; ${planning.join(' ')} cannot be given with ${planFile} (pass them to keyplan plan instead)`,
    );
  }
  if (values.json && planFile === undefined && !values['auto-approve']) {
    throw new UsageError('apply', 'apply --json cannot ask for approval; pass --auto-approve, or apply a saved plan file');
  }
  const options = { parallelism: positiveInt('apply', 'parallelism', values.parallelism, 10) };
  const lockTimeout = lockTimeoutMs('apply', values['lock-timeout']);
  const view = values.json ? jsonApplyView(io) : humanApplyView(io, { color: io.color && !values['no-color'], savedPlanFile: planFile });
  view.begin();
  try {
    let outcome: ApplyOutcome;
    if (planFile !== undefined) {
      const checked = await Workspace.readSavedPlan(planFile, { configFile: values.file });
      outcome = await inWorkspace(io, checked.configFile, (ws) => ws.applySaved(checked, hooksOf(io, view, false), options), {
        reporter: view.reporter,
        interruptible: true,
        lockTimeoutMs: lockTimeout,
      });
    } else {
      const req = { targets: values.target ?? [], rotate: values.rotate ?? [] };
      const hooks = hooksOf(io, view, !values['auto-approve']);
      outcome = await inWorkspace(io, values.file ?? 'keys.yaml', (ws) => ws.planAndApply(req, hooks, options), {
        reporter: view.reporter,
        interruptible: true,
        lockTimeoutMs: lockTimeout,
      });
    }
    view.outcome(outcome);
    return exitCodeOf(outcome);
  } catch (error) {
    // Not handled here: the view reports it (the JSON stream as a diagnostic), then main prints it and sets the exit code.
    view.failed(error);
    throw error;
  }
}

function hooksOf(io: CliIo, view: ApplyView, ask: boolean): ApplyHooks {
  return {
    planned: (plan) => view.planned(plan),
    // --auto-approve still stops when stdout closed while the plan was written (closed-output.ts).
    approve: ask ? (plan) => view.confirm(plan) : async () => !(await planCutShort(io)),
    applying: () => view.applying(),
  };
}

function exitCodeOf(outcome: ApplyOutcome): number {
  switch (outcome.kind) {
    case 'errored':
    case 'cancelled':
      return ExitCode.Error;
    case 'no_changes':
      return ExitCode.Ok;
    case 'applied':
      return isPartialApply(outcome.result.counts) ? ExitCode.Partial : ExitCode.Ok;
  }
}
