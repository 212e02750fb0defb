/**
 * Unmanaged live keys that carry keyplan's marker (LiveKey.marker, e.g. a tag) for a declared
 * name: keys keyplan made before its state was lost, under another state file, or after
 * the state it is given was written (an older backup restored past a rotation). They are
 * not adopted silently (which state they belong to is the user's call) but reported as
 * recoverable with the `keyplan import` command that adopts them; a create planned under
 * the same name gets a note.
 *
 * Under a name the state records with another id, such a key is counted (the summary's
 * `import`): nothing else in the plan would change, and a plan saying "no changes" would
 * leave a live key nobody tracks for good.
 */
import type { LiveKey } from '../model/live.js';
import type { ManagedKey } from '../model/state.js';
import { findLive, type PlanContext } from './context.js';
import { keyDiagnostic, PLAN_CODES, type KeyLocation } from './diagnostics.js';
import { addressOf, type Draft } from './draft.js';

/**
 * Adds a warning per recoverable key (and a note to a create of its name).
 * @param counts whether a name is planned (`--target`); only those keys are counted.
 * @returns how many of them belong to planned names the state records with another id.
 */
export function noteRecoverable(
  ctx: PlanContext,
  unmanaged: readonly LiveKey[],
  declared: ReadonlyMap<string, KeyLocation>,
  drafts: ReadonlyMap<string, Draft>,
  counts: (name: string) => boolean,
): number {
  let counted = 0;
  for (const key of unmanaged) {
    const name = key.marker;
    if (name === undefined) continue;
    const at = declared.get(name);
    // A marker of an undeclared name is shown in the unmanaged list ("marked for …") only:
    // warning about it on every plan would be noise for keys deliberately left behind.
    if (at === undefined) continue;
    const record = ctx.records.get(name);
    const what =
      record === undefined
        ? `${key.kind} ${key.id} of ${key.owner} carries keyplan's marker for "${name}" but is not in the state`
        : `${key.kind} ${key.id} of ${key.owner} carries keyplan's marker for "${name}", but the state records "${name}" as ${record.current.id} (was the state restored from an older backup?)`;
    const d = at.key;
    if (d.kind !== key.kind || d.provider !== key.provider || d.owner !== key.owner) {
      const message = `${what}; ${name} is declared as ${d.kind} of ${d.owner} (provider ${d.provider}), so it cannot be adopted as it is`;
      ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.recoverable, message, at));
      continue;
    }
    // `keyplan import` refuses a name that already manages a key, so the record goes first.
    const commands = record === undefined ? [`keyplan import ${name} ${key.id}`] : [`keyplan state rm ${name}`, `keyplan import ${name} ${key.id}`];
    const advice =
      record === undefined
        ? `to adopt it instead of creating a new key, run: ${commands[0]}`
        : `to adopt ${key.id} in its place, run: ${commands.join(', then ')}${leftBehind(ctx, record)}`;
    ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.recoverable, `${what}; ${advice}`, at));
    if (record !== undefined && counts(name)) counted += 1;
    const draft = drafts.get(addressOf(d.kind, name));
    if (draft?.action === 'create') {
      const steps = commands.map((c) => `\`${c}\``).join(', then ');
      draft.notes.push(`live key ${key.id} carries this key's marker; ${steps} would adopt it instead`);
    }
  }
  return counted;
}

/** The recorded key stays live after the adoption forgets it; say so, or the next plan surprises. */
function leftBehind(ctx: PlanContext, record: ManagedKey): string {
  if (findLive(ctx, record, record.current.id) === undefined) return '';
  return ` (${record.current.id} is then no longer managed: delete it once nothing uses it)`;
}
