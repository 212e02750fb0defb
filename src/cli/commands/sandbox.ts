/** `keyplan sandbox serve|reset`: the provider emulators on loopback, for trying keyplan without an account. */
import path from 'node:path';
import { resetSandbox, startSandbox } from '../../emulators/sandbox.js';
import { parse, positiveInt, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';

/** The text of `keyplan sandbox --help`. */
export const SANDBOX_HELP = `Usage: keyplan sandbox serve [--port N] [--data DIR] [--latency MS] [--fail-rate P]
       keyplan sandbox reset [--data DIR]

  serve   runs the provider emulators on 127.0.0.1 until interrupted, and prints their
          URLs. Provider blocks with "endpoint: sandbox" start them by themselves; serve
          is for poking at the APIs by hand.
  reset   deletes the sandbox's data (all emulated keys and its bootstrap credentials).

Options:
  --port N        port of the first emulator (default: any free port)
  --data DIR      data folder (default .keyplan/sandbox)
  --latency MS    delay every response by MS milliseconds
  --fail-rate P   answer this fraction (0..1) of requests with 429 or 500
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string' },
  data: { type: 'string', default: path.join('.keyplan', 'sandbox') },
  latency: { type: 'string' },
  'fail-rate': { type: 'string' },
} as const;

/** Runs `keyplan sandbox serve|reset`. */
export async function sandboxCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('sandbox', argv, OPTIONS, true);
  const sub = positionals[0];
  if (values.help || sub === undefined) return (out(io, SANDBOX_HELP), values.help ? ExitCode.Ok : ExitCode.Error);
  if (sub === 'reset') {
    await resetSandbox(path.resolve(values.data));
    out(io, `Sandbox data in ${values.data} removed.`);
    return ExitCode.Ok;
  }
  if (sub !== 'serve') throw new UsageError('sandbox', `unknown sandbox subcommand "${sub}"`);
  const failRate = values['fail-rate'] === undefined ? 0 : Number(values['fail-rate']);
  if (!(failRate >= 0 && failRate <= 1)) throw new UsageError('sandbox', `--fail-rate must be between 0 and 1, got "${values['fail-rate']}"`);
  const sandbox = await startSandbox({
    dataDir: path.resolve(values.data),
    port: values.port === undefined ? 0 : positiveInt('sandbox', 'port', values.port, 0),
    latencyMs: values.latency === undefined ? 0 : Number(values.latency),
    failRate,
  });
  for (const [type, endpoint] of Object.entries(sandbox.endpoints)) out(io, `${type}\t${endpoint.url}`);
  err(io, 'Sandbox running; press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  return ExitCode.Ok;
}
