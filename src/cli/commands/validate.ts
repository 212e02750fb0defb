/**
 * `keyplan validate`: config, schema, rules and declared quotas; no network, no state, and
 * by default no secret either, so a pull-request job can run it with no variable set.
 * `--require-env` also checks that every variable the config names is set (names only).
 */
import { Workspace } from '../../engine.js';
import { COMMON_OPTIONS, parse } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { TerminalReporter } from '../terminal-reporter.js';

/** The text of `keyplan validate --help`. */
export const VALIDATE_HELP = `Usage: keyplan validate [-f keys.yaml] [--require-env]

Checks the config: YAML syntax, the schema, unique names, providers and kinds,
depends_on, durations, and that no user is declared more keys than its provider
allows (each kind's per-user quota, e.g. 3 API keys per user).
Makes no network call, reads no state and needs no environment variable, so a
pull-request job can run it without secrets. Every problem is reported at once.

Options:
  -f, --file FILE   config file (default keys.yaml)
  --require-env     also check that every environment variable the config names
                    (passphrases, provider credentials, output tokens, the state
                    database URL) is set; names the variable, never its value
`;

const VALIDATE_OPTIONS = { ...COMMON_OPTIONS, 'require-env': { type: 'boolean', default: false } } as const;

/** Runs `keyplan validate`. */
export async function validateCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('validate', argv, VALIDATE_OPTIONS, false);
  if (values.help) return (out(io, VALIDATE_HELP), ExitCode.Ok);
  // Not a workspace: opening one would build the state store, which needs the database URL.
  const config = await Workspace.check(values.file, { env: io.env, reporter: new TerminalReporter(io) }, values['require-env']);
  out(io, `Success! ${values.file} is valid: ${config.keys.length} key(s), ${Object.keys(config.providers).length} provider(s).`);
  return ExitCode.Ok;
}
