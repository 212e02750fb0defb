/**
 * `keyplan apply`: without a plan file, plan, show, ask (unless --auto-approve), apply,
 * summarise. With a plan file (`keyplan apply plan.kp`), ask nothing: check that the saved
 * plan still matches the config, the state and the live keys (exit 3 naming what moved
 * if not), then make exactly its changes. `--json` streams NDJSON events instead of text.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { missingPassphraseVariables } from '../../apply/passphrase-check.js';
import type { PlanResult, Workspace } from '../../engine.js';
import { KeyplanError } from '../../errors/errors.js';
import type { Plan } from '../../model/plan.js';
import { PLAN_FILE_CODES, PlanFileVersionError, readPlanFile, StalePlanError } from '../../plan/planfile.js';
import { preflightStaleness } from '../../plan/planfile-stale.js';
import { renderPlanHuman } from '../../render/human.js';
import { COMMON_OPTIONS, parse, positiveInt, UsageError } from '../args.js';
import { confirmApply } from '../confirm.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';
import { JsonReporter } from '../json-reporter.js';
import { keyplanVersion } from '../version.js';
import { withLockedState } from './common.js';
import { hasChanges } from './plan-outcome.js';
import { APPLY_CODES } from '../../apply/codes.js';

export const APPLY_HELP = `Usage: keyplan apply [-f keys.yaml] [--auto-approve] [--parallelism N] [--json] [--target NAME]... [--rotate NAME]...
       keyplan apply PLANFILE [--parallelism N] [--json] [-f keys.yaml]

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
  --auto-approve      do not ask for approval (needed when stdin is not a terminal, or CI=true)
  --parallelism N     changes carried out at once (default 10)
  --json              stream machine-readable events (NDJSON) to stdout instead of text;
                      needs --auto-approve or a PLANFILE
  --target NAME       apply only this key and the keys it depends on (repeatable)
  --rotate NAME       rotate this key now (repeatable)
  --no-color          no colour

Exit codes: 0 success, 1 error, 3 the saved plan is stale (nothing was changed),
4 some changes failed (state records what succeeded).
`;

const APPLY_OPTIONS = {
  ...COMMON_OPTIONS,
  // No default: with a plan file, the config is where the plan found it unless -f says otherwise.
  file: { type: 'string', short: 'f' },
  'auto-approve': { type: 'boolean', default: false },
  parallelism: { type: 'string' },
  json: { type: 'boolean', default: false },
  target: { type: 'string', multiple: true },
  rotate: { type: 'string', multiple: true },
} as const;

/** How to carry a plan out. */
interface Run {
  readonly io: CliIo;
  readonly parallelism: number;
  readonly color: boolean;
  /** Set with --json: events go there instead of text. */
  readonly json: JsonReporter | undefined;
}

/** Runs `keyplan apply [PLANFILE]`; resolves to the exit code (0, 1, 4; a stale plan throws StalePlanError, exit 3). */
export async function applyCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('apply', argv, APPLY_OPTIONS, true);
  if (values.help) return out(io, APPLY_HELP), ExitCode.Ok;
  if (positionals.length > 1) throw new UsageError('apply', `apply takes at most one plan file, got ${positionals.length}: ${positionals.join(' ')}`);
  const planFile = positionals[0];
  const planning = [...(values.target ?? []).map((t) => `--target ${t}`), ...(values.rotate ?? []).map((r) => `--rotate ${r}`)];
  if (planFile !== undefined && planning.length > 0) {
    throw new UsageError('apply', `a saved plan is applied as it was made; ${planning.join(' ')} cannot be given with ${planFile} (pass them to keyplan plan instead)`);
  }
  if (values.json && planFile === undefined && !values['auto-approve']) {
    throw new UsageError('apply', 'apply --json cannot ask for approval; pass --auto-approve, or apply a saved plan file');
  }
  const run: Run = {
    io,
    parallelism: positiveInt('apply', 'parallelism', values.parallelism, 10),
    color: io.color && !values['no-color'],
    json: values.json ? new JsonReporter(io) : undefined,
  };
  run.json?.version(keyplanVersion());
  try {
    if (planFile !== undefined) return await applySaved(run, planFile, values.file);
    const options = { targets: values.target ?? [], rotate: values.rotate ?? [] };
    return await withLockedState(io, values.file ?? 'keys.yaml', 'apply', async (ws, state) => carryOut(run, ws, await ws.plan(state, options), { ask: !values['auto-approve'], show: true }), run.json);
  } catch (error) {
    // Not handled here: the stream gets the error as a diagnostic, then main prints it and sets the exit code.
    run.json?.error(error);
    throw error;
  }
}

/** `apply PLANFILE`: refuse a stale plan, else apply the fresh plan that equals it. */
async function applySaved(run: Run, planFile: string, fileOption: string | undefined): Promise<number> {
  const saved = await readPlanFile(planFile).catch((error: unknown) => {
    // For apply, a plan of another format version is one more reason to plan again (exit 3).
    throw error instanceof PlanFileVersionError ? new StalePlanError(planFile, [error.reason]) : error;
  });
  const configFile = fileOption ?? saved.config.file;
  const configSha256 = await sha256OfFile(configFile);
  if (configSha256 === undefined && fileOption === undefined) {
    throw new KeyplanError(
      `${planFile} was made from the config ${configFile}, which cannot be read from here (${path.resolve(configFile)}); run apply in the folder plan ran in, or name the config with -f`,
      { code: PLAN_FILE_CODES.configMissing, source: 'user' },
    );
  }
  // A config named with -f that cannot be read is reported by loading it below, with the usual message.
  if (configSha256 !== undefined) {
    const reasons = preflightStaleness(saved, { keyplanVersion: keyplanVersion(), configFile, configSha256 });
    if (reasons.length > 0) throw new StalePlanError(planFile, reasons);
  }
  return withLockedState(
    run.io,
    configFile,
    'apply',
    async (ws, state) => {
      const { result, stale } = await ws.replanSaved(saved, state);
      if (stale.length > 0) throw new StalePlanError(planFile, stale);
      if (!run.json) out(run.io, `Applying the saved plan ${planFile}. ${summaryLine(result.plan)}`);
      return carryOut(run, ws, result, { ask: false, show: false });
    },
    run.json,
  );
}

/**
 * Shows the plan (as text when `show`, always as events with --json), checks passphrases,
 * asks when `ask`, applies, summarises; resolves to the exit code.
 */
async function carryOut(run: Run, ws: Workspace, planned: PlanResult, how: { readonly ask: boolean; readonly show: boolean }): Promise<number> {
  const { io, json } = run;
  const { ask } = how;
  const plan = planned.plan;
  if (json) json.plan(plan);
  else if (how.show || plan.errored) out(io, renderPlanHuman(plan, { color: run.color }));
  if (plan.errored) return ExitCode.Error;
  if (!hasChanges(plan)) {
    json?.applySummary({ created: 0, rotated: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 });
    if (!json && !how.show) out(io, 'No changes to make.');
    return ExitCode.Ok;
  }
  const missing = missingPassphraseVariables(plan, ws.config, io.env);
  if (missing.length > 0) {
    throw new KeyplanError(`set the passphrase variable(s) ${missing.join(', ')} before apply; nothing was changed`, { code: APPLY_CODES.passphrasesMissing, source: 'user' });
  }
  if (ask && !json && !(await confirmApply(io))) {
    err(io, '\nApply cancelled.');
    return ExitCode.Error;
  }
  if (!json) out(io, '');
  const result = await ws.apply(planned, { parallelism: run.parallelism });
  const c = result.counts;
  json?.applySummary(c);
  const partial = c.failed > 0 || c.skipped > 0;
  if (!json) {
    const done = `${c.created} created, ${c.rotated} rotated, ${c.updated} updated, ${c.deleted} deleted`;
    out(io, partial
      ? `\nApply finished with errors. Keys: ${done}; ${c.failed} failed, ${c.skipped} skipped. State records what succeeded; run keyplan plan to see what is left.`
      : `\nApply complete! Keys: ${done}.`);
  }
  return partial ? ExitCode.Partial : ExitCode.Ok;
}

/** `Plan: N to create, ...` as the human plan ends. */
function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan: ${s.create} to create, ${s.rotate} to rotate, ${s.update} to update, ${s.delete} to delete.`;
}

/** sha256 (hex) of a file's bytes, as the config loader computes it; undefined when unreadable. */
async function sha256OfFile(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return undefined;
  }
}
