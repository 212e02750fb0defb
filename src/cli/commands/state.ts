/**
 * `keyplan state list|show|rm|mv|pull|push`: inspect and edit the state, and move it between
 * backends (no network besides the state backend).
 */
import { readFile } from 'node:fs/promises';
import { text as streamText } from 'node:stream/consumers';
import { KeyplanError } from '../../errors/errors.js';
import type { KeyplanState, ManagedKey } from '../../model/state.js';
import { COMMON_OPTIONS, LOCK_OPTIONS, lockTimeoutHelp, lockTimeoutMs, parse, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, type CliIo } from '../io.js';
import { inWorkspace } from './common.js';
import type { Workspace } from '../../engine.js';
import { moveStateKey } from '../../engine-state-mv.js';
import { STATE_CODES } from '../../state/codes.js';

/** The text of `keyplan state --help`. */
export const STATE_HELP = `Usage: keyplan state <list | show NAME | rm NAME | mv OLD NEW | pull | push FILE> [-f keys.yaml]

  list        the keys the state records, one per line: NAME KIND ID
  show NAME   everything the state records about one key (it holds no secrets); for kinds
              a consumer is set up with by hand, also its public key and config snippet
              (read from the provider)
  rm NAME     forget a key without deleting it at the provider (it becomes unmanaged)
  mv OLD NEW  record key OLD under the name NEW, so renaming it in keys.yaml does not
              rotate it (its live keys, old keys kept for their overlap and rotation
              times move with it; nothing changes at the provider). Refused if NEW is
              in the state already, or an interrupted apply or an unverified rotation
              involves the key (run keyplan apply first). Rename it in keys.yaml too.
              A mark the provider holds (such as a keyplan:NAME tag) keeps the old
              name until the key is next rotated
  pull        print the state document the configured backend holds (JSON; no secrets)
  push FILE   write the state document in FILE ("-": stdin) into the configured backend;
              refused if it has another lineage, or a serial not newer than the stored
              one, unless --force. To move from local to postgres: change state: in
              keys.yaml, then run keyplan state push .keyplan/state.json

Options:
  -f, --file FILE   config file (default keys.yaml)
  --dry-run         state mv: say what would move, write nothing
  --force           state push: replace the stored state even if it is another lineage or
                    not newer (the stored lineage is kept; the serial still goes up)
${lockTimeoutHelp(20)}
                    (state rm, state mv and state push; the others take no lock)
`;

const STATE_OPTIONS = {
  ...COMMON_OPTIONS,
  ...LOCK_OPTIONS,
  force: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
} as const;

/** The subcommands that take the state lock, and so `--lock-timeout`. */
const LOCKING = new Set(['rm', 'mv', 'push']);

/** Runs `keyplan state list|show|rm|mv|pull|push`. */
export async function stateCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse('state', argv, STATE_OPTIONS, true);
  const [sub, name, ...rest] = positionals;
  if (values.help || sub === undefined) return (out(io, STATE_HELP), values.help ? ExitCode.Ok : ExitCode.Error);
  if (!['list', 'show', 'rm', 'mv', 'pull', 'push'].includes(sub)) throw new UsageError('state', `unknown state subcommand "${sub}"`);
  if (sub === 'mv') return moveKey(io, positionals.slice(1), values);
  if (rest.length > 0) throw new UsageError('state', `unexpected arguments: ${rest.join(' ')}`);
  if (values.force && sub !== 'push') throw new UsageError('state', `--force is only for state push, not state ${sub}`);
  if (values['dry-run']) throw new UsageError('state', `--dry-run is only for state mv, not state ${sub}`);
  if (values['lock-timeout'] !== undefined && !LOCKING.has(sub))
    throw new UsageError('state', `--lock-timeout is only for state rm, state mv and state push; state ${sub} takes no lock`);
  const lockTimeout = lockTimeoutMs('state', values['lock-timeout']);
  if ((sub === 'list' || sub === 'pull') && name !== undefined) throw new UsageError('state', `unexpected arguments: ${name}`);
  if (sub === 'list') {
    const state = await readState(io, values.file);
    for (const rec of sortedRecords(state.keys)) out(io, `${rec.name}\t${rec.kind}\t${rec.current.id}`);
    return ExitCode.Ok;
  }
  if (sub === 'pull') {
    // The document as stored, byte for byte what the next push reads back.
    io.stdout.write(await inWorkspace(io, values.file, (ws) => ws.pullState()));
    return ExitCode.Ok;
  }
  if (name === undefined) throw new UsageError('state', sub === 'push' ? 'state push needs the FILE to push ("-" for stdin)' : `state ${sub} needs a key NAME`);
  if (sub === 'push') return pushState(io, values.file, name, { force: values.force, lockTimeoutMs: lockTimeout });
  if (sub === 'show') {
    const { record, lines } = await inWorkspace(io, values.file, (ws) => ws.describeKey(name));
    if (!record) throw new KeyplanError(`no key named "${name}" in the state`, { code: STATE_CODES.unknownKey, source: 'user' });
    out(io, [describe(record), ...(lines.length > 0 ? ['', ...lines] : [])].join('\n'));
    return ExitCode.Ok;
  }
  await inWorkspace(io, values.file, (ws) => ws.removeState([name]), { interruptible: true, lockTimeoutMs: lockTimeout });
  out(io, `Removed ${name} from the state. Its live key was not deleted and is now unmanaged.`);
  return ExitCode.Ok;
}

/** `state mv OLD NEW [--dry-run]`: one write under the lock (engine-state-mv.ts); reminds what keys.yaml still needs. */
async function moveKey(
  io: CliIo,
  names: readonly string[],
  values: { file: string; force: boolean; 'dry-run': boolean; 'lock-timeout'?: string | undefined },
): Promise<number> {
  const [from, to, ...rest] = names;
  if (from === undefined || to === undefined) throw new UsageError('state', 'state mv needs the OLD and the NEW key name');
  if (rest.length > 0) throw new UsageError('state', `unexpected arguments: ${rest.join(' ')}`);
  if (values.force) throw new UsageError('state', '--force is only for state push, not state mv');
  const dryRun = values['dry-run'];
  const lockTimeout = lockTimeoutMs('state', values['lock-timeout']);
  const moved = await inWorkspace(io, values.file, (ws) => moveStateKey(ws, from, to, { dryRun }), { interruptible: true, lockTimeoutMs: lockTimeout });
  const { record } = moved;
  const retiring = record.retiring.length === 0 ? '' : `, with ${record.retiring.length} old key${record.retiring.length === 1 ? '' : 's'} being retired`;
  const what = `${record.kind} ${record.current.id}${retiring}`;
  if (dryRun) out(io, `Would move ${from} to ${to} in the state (${what}). Nothing was written (--dry-run).`);
  else out(io, `Moved ${from} to ${to} in the state (${what}), serial ${moved.state.serial}. Nothing was changed at the provider.`);
  // Until keys.yaml says the same, the next plan would delete the moved key and create a new one.
  if (!moved.declared || moved.oldDeclared) {
    const effects = [...(moved.oldDeclared ? [`create a new key for ${from}`] : []), ...(moved.declared ? [] : [`delete ${to}`])];
    err(io, `Warning: rename ${from} to ${to} in ${values.file} as well; until then plan would ${effects.join(' and ')}.`);
  }
  return ExitCode.Ok;
}

/** `state push FILE`: reads the document (before opening the backend, so a typo touches nothing), then pushes it. */
async function pushState(io: CliIo, configFile: string, file: string, options: { force: boolean; lockTimeoutMs: number }): Promise<number> {
  const source = file === '-' ? 'stdin' : file;
  let text: string;
  try {
    text = file === '-' ? await streamText(io.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    throw new KeyplanError(`cannot read ${source}: ${(error as Error).message}`, { code: STATE_CODES.unreadable, source: 'user', cause: error });
  }
  const pushed = async (ws: Workspace) => ({ ...(await ws.pushState(text, source, { force: options.force })), target: ws.store.description });
  const { before, after, target } = await inWorkspace(io, configFile, pushed, { interruptible: true, lockTimeoutMs: options.lockTimeoutMs });
  const replaced = before.serial > 0 ? `it held serial ${before.serial}` : 'it held no state';
  out(io, `Pushed ${source} to ${target} (${replaced}): lineage ${after.lineage}, serial ${after.serial}.`);
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
