/**
 * Unmanaged live keys that carry keyplan's marker (OUTSCALE: the `Tag`) for a name the
 * state has no record of: keys keyplan made before its state was lost, or under another
 * state file. They are not adopted silently (which state they belong to is the user's
 * call) but, when their name is declared, reported as recoverable with the `keyplan
 * import` command that adopts them; a create planned under the same name gets a note.
 */
import type { LiveKey } from '../model/live.js';
import type { PlanContext } from './context.js';
import { keyDiagnostic, PLAN_CODES, type KeyLocation } from './diagnostics.js';
import { addressOf, type Draft } from './draft.js';

/** Adds a warning per recoverable key (and a note to a create of its name). */
export function noteRecoverable(
  ctx: PlanContext,
  unmanaged: readonly LiveKey[],
  declared: ReadonlyMap<string, KeyLocation>,
  drafts: ReadonlyMap<string, Draft>,
): void {
  for (const key of unmanaged) {
    const name = key.marker;
    if (name === undefined || ctx.records.has(name)) continue;
    const command = `keyplan import ${name} ${key.id}`;
    const what = `${key.kind} ${key.id} of ${key.owner} carries keyplan's marker for "${name}" but is not in the state`;
    const at = declared.get(name);
    // A marker of an undeclared name is shown in the unmanaged list ("marked for …") only:
    // warning about it on every plan would be noise for keys deliberately left behind.
    if (at === undefined) continue;
    const d = at.key;
    if (d.kind !== key.kind || d.provider !== key.provider || d.owner !== key.owner) {
      const message = `${what}; ${name} is declared as ${d.kind} of ${d.owner} (provider ${d.provider}), so it cannot be adopted as it is`;
      ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.recoverable, message, at));
      continue;
    }
    ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.recoverable, `${what}; to adopt it instead of creating a new key, run: ${command}`, at));
    const draft = drafts.get(addressOf(d.kind, name));
    if (draft?.action === 'create') draft.notes.push(`live key ${key.id} carries this key's marker; \`${command}\` would adopt it instead`);
  }
}
