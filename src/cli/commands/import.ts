/** `keyplan import NAME LIVE_ID`: adopt an existing live key into the state. Takes the state lock. */
import { COMMON_OPTIONS, LOCK_OPTIONS, lockTimeoutHelp, lockTimeoutMs, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';

/** The text of `keyplan import --help`. */
export const IMPORT_HELP = `Usage: keyplan import NAME LIVE_ID [-f keys.yaml] [--lock-timeout DURATION]

Records an existing key as the current key of NAME, which must be declared in keys.yaml
and not yet be in the state. LIVE_ID is the key's id at the provider, as keyplan plan
lists it among the unmanaged keys; it must be one of NAME's user's keys. keyplan plan
names keys it finds carrying keyplan's marker but missing from the state.

No secret is read or written: providers never return a key's secret after creating it,
so the secret of an imported key is only where it was delivered when it was created.

Options:
  -f, --file FILE   config file (default keys.yaml)
${lockTimeoutHelp(20)}
`;

/** Runs `keyplan import NAME LIVE_ID`. */
export async function importCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('import', argv, { ...COMMON_OPTIONS, ...LOCK_OPTIONS }, true);
  if (values.help) return (out(io, IMPORT_HELP), ExitCode.Ok);
  const [name, id, ...rest] = positionals;
  if (name === undefined || id === undefined) throw new UsageError('import', 'import needs a key NAME and the LIVE_ID of the key to adopt');
  if (rest.length > 0) throw new UsageError('import', `unexpected arguments: ${rest.join(' ')}`);
  const lockTimeout = lockTimeoutMs('import', values['lock-timeout']);
  const adoption = await inWorkspace(io, values.file, (ws) => ws.importKey(name, id), { interruptible: true, lockTimeoutMs: lockTimeout });
  const k = adoption.live;
  const facts = [
    `owner ${k.owner}`,
    k.status,
    ...(k.createdAt !== undefined ? [`created ${k.createdAt}`] : []),
    ...(k.expiresAt !== undefined ? [`expires ${k.expiresAt}`] : []),
  ];
  out(io, `Imported ${name}: ${k.kind} ${k.id} (${facts.join(', ')}) is now managed by keyplan.`);
  for (const note of adoption.notes) out(io, `Note: ${note}.`);
  out(
    io,
    `Its secret cannot be read back from the provider: it exists only where it was delivered when the key was created; keyplan wrote nothing to ${name}'s outputs now.`,
  );
  out(io, 'Run "keyplan plan" to see whether the key matches keys.yaml.');
  return ExitCode.Ok;
}
