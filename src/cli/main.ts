/**
 * keyplan's entry point: pick the command, run it, and turn every outcome into an exit
 * code in one place. The only catch in the CLI is here.
 */
import { createLogger, logger, setLogger } from '../log/logger.js';
import { ExitCode } from './exit-codes.js';
import { err, out, processIo, type CliIo } from './io.js';
import { reportError } from './report-error.js';
import { validateCommand } from './commands/validate.js';
import { planCommand } from './commands/plan.js';
import { applyCommand } from './commands/apply.js';
import { stateCommand } from './commands/state.js';
import { statusCommand } from './commands/status.js';
import { rotationCommand } from './commands/rotation.js';
import { forceUnlockCommand } from './commands/force-unlock.js';
import { sandboxCommand } from './commands/sandbox.js';
import { importCommand } from './commands/import.js';
import { showCommand } from './commands/show.js';
import { StalePlanError } from '../plan/planfile.js';
import { keyplanVersion } from '../version.js';

const HELP = `Usage: keyplan <command> [options]

Declare API keys in keys.yaml; keyplan plans and applies them.

Commands:
  validate        check keys.yaml (schema, rules, env variables); no network
  plan            show what apply would change
  apply           create, rotate, update and delete keys to match keys.yaml
                  (or make exactly the changes of a plan saved with plan --out)
  show            print a saved plan (human, json or markdown)
  import          adopt an existing key into the state (keyplan import NAME LIVE_ID)
  state           list, show or forget keys in the state; pull or push the state document
  status          every managed key's age, expiry, phase and what is due next
                  (--expiring-within 14d exits 2 when something is due: for scheduled jobs)
  rotation        undo a rotation while the replaced key still exists
                  (keyplan rotation undo NAME)
  force-unlock    remove a stale state lock
  sandbox         run the provider emulators locally (serve, reset)

Global options:
  -h, --help      help for keyplan or a command ("keyplan plan --help")
  --version       print keyplan's version
  --debug         show stack traces of errors

Exit codes: 0 success (plan --detailed-exitcode: no changes), 1 error,
2 changes present (plan --detailed-exitcode only) or something due (status
--expiring-within only), 3 saved plan is stale,
4 apply finished partially.

Environment: KEYPLAN_LOG=debug logs to stderr (or to KEYPLAN_LOG_FILE); NO_COLOR=1.
`;

type Command = (io: CliIo, argv: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  validate: validateCommand,
  plan: planCommand,
  apply: applyCommand,
  show: showCommand,
  import: importCommand,
  state: stateCommand,
  status: statusCommand,
  rotation: rotationCommand,
  'force-unlock': forceUnlockCommand,
  sandbox: sandboxCommand,
};

/** Runs keyplan with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  setLogger(createLogger(io.env));
  // A provider SDK may report every failed call with console.warn; that is debug detail, not
  // user output (keyplan reports the failure itself).
  console.warn = (...args: unknown[]) => logger().debug(args.map(String).join(' '));
  const [name, ...rest] = argv;
  const debug = rest.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return (out(io, HELP), name === undefined ? ExitCode.Error : ExitCode.Ok);
  if (name === '--version' || name === 'version') return (out(io, `keyplan v${keyplanVersion()}`), ExitCode.Ok);
  const command = COMMANDS[name];
  if (!command) {
    err(io, `Error: unknown command "${name}".\n\n${HELP}`);
    return ExitCode.Error;
  }
  try {
    return await command(io, rest);
  } catch (error) {
    reportError(io, error, debug);
    return error instanceof StalePlanError ? ExitCode.StalePlan : ExitCode.Error;
  }
}

/** Runs the process. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
