/** `keyplan state list|show|rm`: inspect and edit the state (no network). */
import { KeyplanError } from '../../errors/errors.js';
import type { KeyplanState, ManagedKey } from '../../model/state.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';
import { STATE_CODES } from '../../state/codes.js';

/** The text of `keyplan state --help`. */
export const STATE_HELP = `Usage: keyplan state <list | show NAME | rm NAME> [-f keys.yaml]

  list        the keys the state records, one per line: NAME KIND ID
  show NAME   everything the state records about one key (it holds no secrets)
  rm NAME     forget a key without deleting it at the provider (it becomes unmanaged)

Options:
  -f, --file FILE   config file (default keys.yaml)
`;

/** Runs `keyplan state list|show|rm`. */
export async function stateCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('state', argv, COMMON_OPTIONS, true);
  const [sub, name, ...rest] = positionals;
  if (values.help || sub === undefined) return (out(io, STATE_HELP), values.help ? ExitCode.Ok : ExitCode.Error);
  if (rest.length > 0) throw new UsageError('state', `unexpected arguments: ${rest.join(' ')}`);
  if (sub === 'list') {
    const state = await readState(io, values.file);
    for (const rec of sortedRecords(state.keys)) out(io, `${rec.name}\t${rec.kind}\t${rec.current.id}`);
    return ExitCode.Ok;
  }
  if (sub !== 'show' && sub !== 'rm') throw new UsageError('state', `unknown state subcommand "${sub}"`);
  if (name === undefined) throw new UsageError('state', `state ${sub} needs a key NAME`);
  if (sub === 'show') {
    const rec = (await readState(io, values.file)).keys[name];
    if (!rec) throw new KeyplanError(`no key named "${name}" in the state`, { code: STATE_CODES.unknownKey, source: 'user' });
    out(io, describe(rec));
    return ExitCode.Ok;
  }
  await inWorkspace(io, values.file, (ws) => ws.removeState([name]), { interruptible: true });
  out(io, `Removed ${name} from the state. Its live key was not deleted and is now unmanaged.`);
  return ExitCode.Ok;
}

function readState(io: CliIo, file: string): Promise<KeyplanState> {
  return inWorkspace(io, file, (ws) => ws.readState());
}

function sortedRecords(keys: Readonly<Record<string, ManagedKey>>): ManagedKey[] {
  return Object.values(keys).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function describe(rec: ManagedKey): string {
  const lines = [
    `name        ${rec.name}`,
    `kind        ${rec.kind}`,
    `provider    ${rec.provider}`,
    `owner       ${rec.owner}`,
    `id          ${rec.current.id}`,
    `created     ${rec.current.createdAt}`,
    ...Object.keys(rec.current.attributes)
      .sort()
      .map((k) => `${k.padEnd(12)}${JSON.stringify(rec.current.attributes[k])}`),
  ];
  for (const r of rec.retiring) lines.push(`retiring    ${r.id} (created ${r.createdAt}, deleted from ${r.retireAfter})`);
  return lines.join('\n');
}
