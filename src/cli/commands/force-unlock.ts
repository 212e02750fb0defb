/** `keyplan force-unlock LOCK_ID`: removes a lock left by a run that died. */
import { Workspace } from '../../engine.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { hostFor } from './common.js';

export const FORCE_UNLOCK_HELP = `Usage: keyplan force-unlock LOCK_ID [-f keys.yaml]

Removes the state lock with this ID. Use it only when no keyplan run holds the lock
(the "state is locked" error names the ID, who took it, and when).
`;

export async function forceUnlockCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('force-unlock', argv, COMMON_OPTIONS, true);
  if (values.help) return out(io, FORCE_UNLOCK_HELP), ExitCode.Ok;
  if (positionals.length !== 1) throw new UsageError('force-unlock', 'force-unlock needs exactly one LOCK_ID');
  const ws = await Workspace.open(values.file, hostFor(io), { checkEnv: false });
  try {
    await ws.store.forceUnlock(positionals[0] as string);
  } finally {
    await ws.close();
  }
  out(io, 'keyplan state has been successfully unlocked!');
  return ExitCode.Ok;
}
