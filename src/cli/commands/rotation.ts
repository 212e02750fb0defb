/** `keyplan rotation undo NAME`: go back to the key a rotation replaced, while it still exists. Takes the state lock. */
import { COMMON_OPTIONS, LOCK_OPTIONS, lockTimeoutHelp, lockTimeoutMs, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';

/** The text of `keyplan rotation --help`. */
export const ROTATION_HELP = `Usage: keyplan rotation undo NAME [-f keys.yaml] [--lock-timeout DURATION]

Makes the key that NAME's last rotation replaced current again, while it still exists:
during its overlap, or while it is deactivated (it is reactivated first). The key that
was current retires through the same phases a rotation uses (its overlap, then
deactivation where rotation.deactivate_for is set, then delete), and both are recorded
in the state. Refused once the old key is deleted.

keyplan never keeps a secret after delivering it, so undo cannot put the old secret back
into NAME's outputs: consumers that still hold the old credential work again; the
outputs keep the new key's secret, which stops working when the new key is retired.

Options:
  -f, --file FILE   config file (default keys.yaml)
${lockTimeoutHelp(20)}
`;

/** Runs `keyplan rotation undo NAME`. */
export async function rotationCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('rotation', argv, { ...COMMON_OPTIONS, ...LOCK_OPTIONS }, true);
  if (values.help) return (out(io, ROTATION_HELP), ExitCode.Ok);
  const [action, name, ...rest] = positionals;
  if (action !== 'undo')
    throw new UsageError('rotation', action === undefined ? 'rotation needs an action: undo' : `unknown rotation action "${action}"; the action is undo`);
  if (name === undefined) throw new UsageError('rotation', 'rotation undo needs the NAME of a key');
  if (rest.length > 0) throw new UsageError('rotation', `unexpected arguments: ${rest.join(' ')}`);
  const lockTimeout = lockTimeoutMs('rotation', values['lock-timeout']);
  const undone = await inWorkspace(io, values.file, (ws) => ws.undoRotation(name), { interruptible: true, lockTimeoutMs: lockTimeout });
  out(io, `Rotation of ${name} undone: ${undone.restoredId} is current again${undone.reactivated ? ' (reactivated)' : ''}.`);
  out(io, `${undone.retiredId} retires: its overlap ends ${undone.retireAfter}, then the phases of ${name}'s rotation settings follow.`);
  err(
    io,
    `Warning: ${name}'s outputs still hold the secret of ${undone.retiredId}; keyplan cannot put the old secret back. Consumers must use the credential they held before the rotation.`,
  );
  return ExitCode.Ok;
}
