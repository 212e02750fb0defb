/** `keyplan apply`: plan, show, ask (unless --auto-approve), apply, summarise. */
import { renderPlanHuman } from '../../render/human.js';
import { COMMON_OPTIONS, parse, positiveInt } from '../args.js';
import { confirmApply } from '../confirm.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';
import { withLockedState } from './common.js';
import { missingPassphraseVariables } from '../../apply/passphrase-check.js';
import { KeyplanError } from '../../errors/errors.js';
import { hasChanges } from './plan-outcome.js';

export const APPLY_HELP = `Usage: keyplan apply [-f keys.yaml] [--auto-approve] [--parallelism N] [--target NAME]... [--rotate NAME]...

Plans like "keyplan plan", shows the plan, asks for approval, then creates, rotates,
updates and deletes keys in dependency order. Secrets go only to the outputs declared
in keys.yaml; state is saved after every completed step.

Options:
  -f, --file FILE     config file (default keys.yaml)
  --auto-approve      do not ask for approval (needed when stdin is not a terminal, or CI=true)
  --parallelism N     changes carried out at once (default 10)
  --target NAME       apply only this key and the keys it depends on (repeatable)
  --rotate NAME       rotate this key now (repeatable)
  --no-color          no colour

Exit codes: 0 success, 1 error, 4 some changes failed (state records what succeeded).
`;

const APPLY_OPTIONS = {
  ...COMMON_OPTIONS,
  'auto-approve': { type: 'boolean', default: false },
  parallelism: { type: 'string' },
  target: { type: 'string', multiple: true },
  rotate: { type: 'string', multiple: true },
} as const;

export async function applyCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('apply', argv, APPLY_OPTIONS, false);
  if (values.help) return out(io, APPLY_HELP), ExitCode.Ok;
  const parallelism = positiveInt('apply', 'parallelism', values.parallelism, 10);
  const color = io.color && !values['no-color'];
  return withLockedState(io, values.file, 'apply', async (ws, state) => {
    const planned = await ws.plan(state, { targets: values.target ?? [], rotate: values.rotate ?? [] });
    out(io, renderPlanHuman(planned.plan, { color }));
    if (planned.plan.errored) return ExitCode.Error;
    if (!hasChanges(planned.plan)) return ExitCode.Ok;
    const missing = missingPassphraseVariables(planned.plan, ws.config, io.env);
    if (missing.length > 0) {
      throw new KeyplanError(`set the passphrase variable(s) ${missing.join(', ')} before apply; nothing was changed`, { code: 'KP_APPLY_E0001', source: 'user' });
    }
    if (!values['auto-approve'] && !(await confirmApply(io))) {
      err(io, '\nApply cancelled.');
      return ExitCode.Error;
    }
    out(io, '');
    const result = await ws.apply(planned, { parallelism });
    const c = result.counts;
    const done = `${c.created} created, ${c.rotated} rotated, ${c.updated} updated, ${c.deleted} deleted`;
    if (c.failed > 0 || c.skipped > 0) {
      out(io, `\nApply finished with errors. Keys: ${done}; ${c.failed} failed, ${c.skipped} skipped. State records what succeeded; run keyplan plan to see what is left.`);
      return ExitCode.Partial;
    }
    out(io, `\nApply complete! Keys: ${done}.`);
    return ExitCode.Ok;
  });
}
