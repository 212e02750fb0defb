/**
 * `keyplan status [--expiring-within DURATION] [--format human|json]`: every managed key
 * with its age, expiry, phase and what is due next, from the state and keys.yaml alone (no
 * provider credentials, no network besides the state backend). With `--expiring-within`,
 * exits 2 when a key expires or comes due within that time, naming those keys on stderr:
 * a scheduled CI job can warn before an outage.
 */
import { parseDuration } from '../../model/duration.js';
import { dueWithin, keyStatuses } from '../../status/key-status.js';
import { recordedExpiry } from '../../status/expiry.js';
import { formatStatusText, statusJson } from '../../status/format.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';

/** The text of `keyplan status --help`. */
export const STATUS_HELP = `Usage: keyplan status [--expiring-within DURATION] [--format human|json] [-f keys.yaml]

Lists every key the state manages, sorted by name: its kind, age, expiry (for kinds whose
keys expire), current phase (created, verified; old keys: overlap, deactivated; a rotation's
new key: unverified) and when its next rotation (rotation.max_age, rotation.before_expiry)
or next phase is due. Reads the state and keys.yaml only: no provider credentials needed.

Options:
  --expiring-within DURATION   e.g. 14d: exit 2 when any key expires, or its rotation or
                               next phase comes due, within DURATION (the keys concerned
                               are named on stderr); exit 0 otherwise
  --format FORMAT              human (default) or json
  -f, --file FILE              config file (default keys.yaml)

Exit codes: 0 success (nothing due within --expiring-within), 1 error, 2 something is due.
`;

const STATUS_OPTIONS = { ...COMMON_OPTIONS, 'expiring-within': { type: 'string' }, format: { type: 'string', default: 'human' } } as const;

/** Runs `keyplan status`. */
export async function statusCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values } = parse('status', argv, STATUS_OPTIONS, false);
  if (values.help) return (out(io, STATUS_HELP), ExitCode.Ok);
  const format = values.format;
  if (format !== 'human' && format !== 'json') throw new UsageError('status', `--format must be human or json, got "${format}"`);
  const within = values['expiring-within'];
  const windowMs = within === undefined ? undefined : parseDuration(within);
  if (within !== undefined && windowMs === undefined)
    throw new UsageError('status', `--expiring-within must be a duration such as 14d or 36h, got "${within}"`);

  const { statuses, now } = await inWorkspace(io, values.file, async (ws) => {
    const state = await ws.readState();
    const now = ws.now();
    return { statuses: keyStatuses(state, ws.config.keys, now, (record) => recordedExpiry(ws.providers.kind(record.kind), record)), now };
  });
  const events = windowMs === undefined ? [] : dueWithin(statuses, now, windowMs);
  out(io, format === 'json' ? statusJson(statuses, now, windowMs === undefined ? undefined : { windowMs, events }) : formatStatusText(statuses, now));
  if (windowMs === undefined || events.length === 0) return ExitCode.Ok;
  const names = [...new Set(events.map((e) => e.name))];
  err(io, `${names.length === 1 ? '1 key expires or comes due' : `${names.length} keys expire or come due`} within ${within}:`);
  for (const e of events) err(io, `  ${e.name}: ${e.what} ${e.at}`);
  return ExitCode.Due;
}
