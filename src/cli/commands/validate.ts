/** `keyplan validate`: config, schema, rules and env references; no network, no state. */
import { Workspace } from '../../engine.js';
import { COMMON_OPTIONS, parse } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { hostFor } from './common.js';

export const VALIDATE_HELP = `Usage: keyplan validate [-f keys.yaml]

Checks the config: YAML syntax, the schema, unique names, providers and kinds,
depends_on, durations, and that every passphrase environment variable is set.
Makes no network call and reads no state. Every problem is reported at once.

Options:
  -f, --file FILE   config file (default keys.yaml)
`;

export async function validateCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('validate', argv, COMMON_OPTIONS, false);
  if (values.help) return out(io, VALIDATE_HELP), ExitCode.Ok;
  const ws = await Workspace.open(values.file, hostFor(io), { checkEnv: true });
  await ws.close();
  out(io, `Success! ${values.file} is valid: ${ws.config.keys.length} key(s), ${Object.keys(ws.config.providers).length} provider(s).`);
  return ExitCode.Ok;
}
