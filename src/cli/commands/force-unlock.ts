/** `keyplan force-unlock LOCK_ID`: removes a lock left by a run that died. */
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';

/** The text of `keyplan force-unlock --help`. */
export const FORCE_UNLOCK_HELP = `Usage: keyplan force-unlock LOCK_ID [-f keys.yaml]

Removes the state lock with this ID. Use it only when no keyplan run holds the lock
(the "state is locked" error names the ID, who took it, and when).
`;

/** Runs `keyplan force-unlock LOCK_ID`. */
export async function forceUnlockCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('force-unlock', argv, COMMON_OPTIONS, true);
  if (values.help) return (out(io, FORCE_UNLOCK_HELP), ExitCode.Ok);
  if (positionals.length !== 1) throw new UsageError('force-unlock', 'force-unlock needs exactly one LOCK_ID');
  const lockId = positionals[0] as string;
  await inWorkspace(io, values.file, (ws) => ws.forceUnlock(lockId));
  out(io, 'keyplan state has been successfully unlocked!');
  return ExitCode.Ok;
}
