/** `keyplan plan`: refresh, plan, print. Takes the state lock; writes nothing. */
import { renderPlanHuman } from '../../render/human.js';
import { COMMON_OPTIONS, parse } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';
import { missingPassphraseVariables } from '../../apply/passphrase-check.js';
import { withLockedState } from './common.js';
import { hasChanges } from './plan-outcome.js';

export const PLAN_HELP = `Usage: keyplan plan [-f keys.yaml] [--detailed-exitcode] [--target NAME]... [--rotate NAME]...

Reads the live keys from every provider, compares them with keys.yaml and the state,
and prints what apply would do. Changes nothing.

Options:
  -f, --file FILE         config file (default keys.yaml)
  --detailed-exitcode     exit 0 when there are no changes, 2 when there are, 1 on error
  --target NAME           plan only this key and the keys it depends on (repeatable)
  --rotate NAME           rotate this key now, whatever its age (repeatable)
  --no-color              no colour (also NO_COLOR=1; colour is only used on a terminal)
`;

export const PLAN_OPTIONS = {
  ...COMMON_OPTIONS,
  'detailed-exitcode': { type: 'boolean', default: false },
  target: { type: 'string', multiple: true },
  rotate: { type: 'string', multiple: true },
} as const;

export async function planCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('plan', argv, PLAN_OPTIONS, false);
  if (values.help) return out(io, PLAN_HELP), ExitCode.Ok;
  const color = io.color && !values['no-color'];
  const { result, missing } = await withLockedState(io, values.file, 'plan', async (ws, state) => {
    const planned = await ws.plan(state, { targets: values.target ?? [], rotate: values.rotate ?? [] });
    return { result: planned, missing: missingPassphraseVariables(planned.plan, ws.config, io.env) };
  });
  out(io, renderPlanHuman(result.plan, { color }));
  if (missing.length > 0) err(io, `\nWarning: apply will need the passphrase variable(s) ${missing.join(', ')}, which are not set here.`);
  if (result.plan.errored) return ExitCode.Error;
  if (values['detailed-exitcode']) return hasChanges(result.plan) ? ExitCode.Changes : ExitCode.Ok;
  return ExitCode.Ok;
}
