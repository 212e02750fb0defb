/**
 * keyplan's entry point: pick the command, run it, and turn every outcome into an exit
 * code in one place. The only catch in the CLI is here.
 */
import { createLogger, logger, setLogger } from '../log/logger.js';
import { ExitCode } from './exit-codes.js';
import { err, out, processIo, type CliIo } from './io.js';
import { reportError } from './report-error.js';
import { keyplanVersion } from '../version.js';
import { formatPhaseTimings, markPhase, phaseTimings } from '../report/phase-timings.js';

const HELP = `Usage: keyplan <command> [options]

Declare API keys in keys.yaml; keyplan plans and applies them.

Commands:
  validate        check keys.yaml (schema, rules, env variables); no network
  plan            show what apply would change
  apply           create, rotate, update and delete keys to match keys.yaml
                  (or make exactly the changes of a plan saved with plan --out)
  show            print a saved plan (human, json or markdown)
  import          adopt an existing key into the state (keyplan import NAME LIVE_ID)
  state           list, show, rename (mv) or forget keys in the state; pull or push the
                  state document
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
  --no-color      no colour
  Global options may come before or after the command ("keyplan --debug plan").
  "keyplan help COMMAND" is "keyplan COMMAND --help".

Options take two dashes: --auto-approve, --out=plan.kp, --target=NAME (Terraform's
one-dash spellings are refused with the two-dash one to use).

Exit codes: 0 success (plan --detailed-exitcode: no changes), 1 error,
2 changes present (plan --detailed-exitcode only) or something due (status
--expiring-within only), 3 saved plan is stale,
4 apply finished partially. A closed stdout or stderr (keyplan plan | head) is not an error:
the rest of the output is dropped and a run still going stops as on Ctrl-C (an apply
whose plan was cut short changes nothing).

Environment: KEYPLAN_LOG=debug logs to stderr (or to KEYPLAN_LOG_FILE); colour follows FORCE_COLOR
(0 off, 1-3 on even off a terminal), then NO_COLOR and TERM=dumb (off).
`;

type Command = (io: CliIo, argv: readonly string[]) => Promise<number>;

// Each command's module is loaded only when it runs: a command's imports (the engine, the
// emulators, the state backends) cost start-up time the other commands need not pay.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  state: async () => (await import('./commands/state.js')).stateCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  rotation: async () => (await import('./commands/rotation.js')).rotationCommand,
  'force-unlock': async () => (await import('./commands/force-unlock.js')).forceUnlockCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
};

/** Runs keyplan with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  setLogger(createLogger(io.env));
  // A provider SDK may report every failed call with console.warn; that is debug detail, not
  // user output (keyplan reports the failure itself).
  console.warn = (...args: unknown[]) => logger().debug(args.map(String).join(' '));
  const { globals, name, rest: afterName } = splitGlobals(argv);
  if (name === 'help' && afterName[0] !== undefined && COMMANDS[afterName[0]] !== undefined) return run(afterName[0], ['--help']);
  if (name === undefined && globals.includes('--version')) return (out(io, `keyplan v${keyplanVersion()}`), ExitCode.Ok);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const asked = name !== undefined || globals.some((g) => g === '--help' || g === '-h');
    return (out(io, HELP), asked ? ExitCode.Ok : ExitCode.Error);
  }
  if (name === '--version' || name === 'version') return (out(io, `keyplan v${keyplanVersion()}`), ExitCode.Ok);
  if (name.startsWith('-')) {
    err(io, `Error: unknown option "${name}" before the command.${name === '-version' ? ' Did you mean "--version"?' : ''}\n\n${HELP}`);
    return ExitCode.Error;
  }
  // Global options before the command mean the same after it: "keyplan --debug plan" is "keyplan plan --debug".
  return run(name, [...afterName, ...globals]);

  async function run(commandName: string, rest: readonly string[]): Promise<number> {
    const load = COMMANDS[commandName];
    if (!load) {
      err(io, `Error: unknown command "${commandName}".\n\n${HELP}`);
      return ExitCode.Error;
    }
    const debug = rest.includes('--debug');
    try {
      const command = await load();
      markPhase('start');
      const code = await command(io, rest);
      markPhase('output');
      if (io.env['KEYPLAN_TIMINGS'] === '1') err(io, formatPhaseTimings(phaseTimings()));
      return code;
    } catch (error) {
      reportError(io, error, debug);
      const { StalePlanError } = await import('../plan/planfile.js');
      return error instanceof StalePlanError ? ExitCode.StalePlan : ExitCode.Error;
    }
  }
}

/** Options every command takes, so they may come before the command name too. */
const GLOBAL_OPTIONS = new Set(['--debug', '--no-color', '--help', '-h', '--version']);

/** Splits the leading global options off `argv`, then the command name and its own arguments. */
function splitGlobals(argv: readonly string[]): { globals: string[]; name: string | undefined; rest: readonly string[] } {
  let i = 0;
  while (i < argv.length && GLOBAL_OPTIONS.has(argv[i] as string)) i++;
  const globals = argv.slice(0, i).filter((g) => g !== '--version');
  if (argv.slice(0, i).includes('--version') && i === argv.length) return { globals: ['--version'], name: undefined, rest: [] };
  return { globals, name: argv[i], rest: argv.slice(i + 1) };
}

/** Runs the process. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
