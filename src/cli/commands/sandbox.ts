/** `keyplan sandbox serve|reset|session-token`: the provider emulators on loopback, for trying keyplan without an account. */
import path from 'node:path';
import { resetSandbox, startSandbox } from '../../emulators/sandbox.js';
import { sandboxSessionToken, SESSION_TOKEN_HELP, SESSION_TOKEN_USAGE } from '../../emulators/sandbox-session.js';
import { parse, positiveInt, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';

/** The text of `keyplan sandbox --help`. */
export const SANDBOX_HELP = `Usage: keyplan sandbox serve [--port N] [--data DIR] [--latency MS] [--fail-rate P]
                             [--new-key-auth-delay MS] [--new-keys-never-authenticate]
       keyplan sandbox reset [--data DIR]
${SESSION_TOKEN_USAGE}

  serve   runs the provider emulators on 127.0.0.1 until interrupted, and prints their
          URLs. Provider blocks with "endpoint: sandbox" start them by themselves; serve
          is for poking at the APIs by hand.
  reset   deletes the sandbox's data (all emulated keys and its bootstrap credentials).
${SESSION_TOKEN_HELP}

Options:
  --port N        port of the first emulator (default: any free port)
  --data DIR      data folder (default .keyplan/sandbox)
  --latency MS    answer every request MS milliseconds after it arrived
  --fail-rate P   answer this fraction (0..1) of requests with 429 or 500
  --new-key-auth-delay MS
                  refuse a key created through the emulators with the provider's
                  authentication error for MS milliseconds, as a real provider does while
                  a new key propagates (keys created before keep working)
  --new-keys-never-authenticate
                  keys created from now on never authenticate (their creation succeeds)
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string' },
  data: { type: 'string', default: path.join('.keyplan', 'sandbox') },
  latency: { type: 'string' },
  'fail-rate': { type: 'string' },
  'new-key-auth-delay': { type: 'string' },
  'new-keys-never-authenticate': { type: 'boolean', default: false },
  // session-token
  profile: { type: 'string', default: 'DEFAULT' },
  user: { type: 'string' },
  'config-file': { type: 'string' },
  minutes: { type: 'string' },
} as const;

/** Runs `keyplan sandbox serve|reset|session-token`. */
export async function sandboxCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('sandbox', argv, OPTIONS, true);
  const sub = positionals[0];
  if (values.help || sub === undefined) return (out(io, SANDBOX_HELP), values.help ? ExitCode.Ok : ExitCode.Error);
  if (sub === 'reset') {
    await resetSandbox(path.resolve(values.data));
    out(io, `Sandbox data in ${values.data} removed.`);
    return ExitCode.Ok;
  }
  if (sub === 'session-token') {
    const minutes = positiveInt('sandbox', 'minutes', values.minutes, 60);
    out(io, await sandboxSessionToken({ data: values.data, profile: values.profile, user: values.user, configFile: values['config-file'], minutes }));
    return ExitCode.Ok;
  }
  if (sub !== 'serve') throw new UsageError('sandbox', `unknown sandbox subcommand "${sub}"`);
  const failRate = values['fail-rate'] === undefined ? 0 : Number(values['fail-rate']);
  if (!(failRate >= 0 && failRate <= 1)) throw new UsageError('sandbox', `--fail-rate must be between 0 and 1, got "${values['fail-rate']}"`);
  const delay = values['new-key-auth-delay'] === undefined ? undefined : Number(values['new-key-auth-delay']);
  if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0)) {
    throw new UsageError('sandbox', `--new-key-auth-delay must be a number of milliseconds >= 0, got "${values['new-key-auth-delay']}"`);
  }
  // The emulators' new-key options travel as the sandbox's numeric knobs (emulators/shared/new-key-auth.ts).
  const extra: Record<string, number> = {
    ...(delay === undefined ? {} : { newKeyAuthDelayMs: delay }),
    ...(values['new-keys-never-authenticate'] ? { newKeysNeverAuthenticate: 1 } : {}),
  };
  const sandbox = await startSandbox({
    extra,
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
