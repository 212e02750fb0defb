/** `keyplan validate`: config, schema, rules and env references; no network, no state. */
import { COMMON_OPTIONS, parse } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';

/** The text of `keyplan validate --help`. */
export const VALIDATE_HELP = `Usage: keyplan validate [-f keys.yaml]

Checks the config: YAML syntax, the schema, unique names, providers and kinds,
depends_on, durations, and that every passphrase environment variable is set.
Makes no network call and reads no state. Every problem is reported at once.

Options:
  -f, --file FILE   config file (default keys.yaml)
`;

/** Runs `keyplan validate`. */
export async function validateCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('validate', argv, COMMON_OPTIONS, false);
  if (values.help) return (out(io, VALIDATE_HELP), ExitCode.Ok);
  const config = await inWorkspace(io, values.file, async (ws) => ws.config, { checkEnv: true });
  out(io, `Success! ${values.file} is valid: ${config.keys.length} key(s), ${Object.keys(config.providers).length} provider(s).`);
  return ExitCode.Ok;
}
