/**
 * `keyplan show PLANFILE`: prints a saved plan with the renderers `plan` uses, so it reads
 * exactly as it did when it was made. Reads only the file: no config, state or network.
 */
import { readPlanFile } from '../../plan/planfile.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { chosenFormat, FORMAT_OPTIONS, planView } from '../views/plan-view.js';
import { keyplanVersion } from '../../version.js';

/** The text of `keyplan show --help`. */
export const SHOW_HELP = `Usage: keyplan show PLANFILE [--json | --format human|json|markdown]

Prints a plan saved by "keyplan plan --out PLANFILE", exactly as plan printed it.
Reads only the file: no config, no state, no network. The JSON form is the plan document
of schemas/plan.schema.json; "changesPresent" in the file itself tells a no-op plan apart.

Options:
  --format FORMAT   human (default), json or markdown
  --json            same as --format json
  --no-color        no colour
`;

const SHOW_OPTIONS = {
  help: COMMON_OPTIONS.help,
  debug: COMMON_OPTIONS.debug,
  'no-color': COMMON_OPTIONS['no-color'],
  ...FORMAT_OPTIONS,
} as const;

/** Runs `keyplan show PLANFILE`. */
export async function showCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('show', argv, SHOW_OPTIONS, true);
  if (values.help) return (out(io, SHOW_HELP), ExitCode.Ok);
  const view = planView(io, chosenFormat('show', values), io.color && !values['no-color']);
  const [file, ...rest] = positionals;
  if (file === undefined) throw new UsageError('show', 'show needs the PLANFILE to print (written by keyplan plan --out PLANFILE)');
  if (rest.length > 0) throw new UsageError('show', `unexpected arguments: ${rest.join(' ')}`);
  const saved = await readPlanFile(file);
  const meta = { keyplanVersion: saved.keyplanVersion, configHash: saved.config.sha256, stateLineage: saved.state.lineage, stateSerial: saved.state.serial };
  view.show(saved.plan, { meta, title: `keyplan plan: ${saved.config.file}`, showCommand: `keyplan show ${file}` });
  if (saved.keyplanVersion !== keyplanVersion()) {
    view.warn(`\nNote: ${file} was made by keyplan v${saved.keyplanVersion}; this keyplan (v${keyplanVersion()}) will refuse to apply it.`);
  }
  return ExitCode.Ok;
}
