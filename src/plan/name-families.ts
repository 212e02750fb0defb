/**
 * Keys named from their declaration with generation suffixes (KindSpec.nameFamily, e.g.
 * tokens): a declared key owns the live names `base`, `base-2`, `base-3`, … of its owner.
 * - Two declared keys of one owner whose families overlap (`x` and `x-2`) would take each
 *   other's names: an error.
 * - A create whose base name a live key keyplan does not manage already holds would clash
 *   with that key (or, where the API gets-or-creates by name, take it over): an error
 *   naming the key. keyplan never adopts or overwrites it.
 * - Other unmanaged members of a family about to get a new key are a warning: the new key
 *   takes the name after the highest generation, so they are left alone.
 */
import { familiesOverlap, generationOf } from '../model/name-family.js';
import type { LiveKey } from '../model/live.js';
import { liveIdentity, scopeWasRead, specOf, type PlanContext } from './context.js';
import { keyDiagnostic, PLAN_CODES, type KeyLocation } from './diagnostics.js';
import { addressOf, type Draft } from './draft.js';

interface Declared {
  readonly at: KeyLocation;
  readonly base: string;
}

/** Checks every declared key of a kind with a name family; `intentClaimed` are ids create intents claim. */
export function checkNameFamilies(
  ctx: PlanContext,
  declared: ReadonlyMap<string, KeyLocation>,
  drafts: ReadonlyMap<string, Draft>,
  intentClaimed: ReadonlySet<string>,
  inScope: (name: string) => boolean,
): void {
  // Keys are compared only within one owner of one kind: grouped so that N keys cost N, not N².
  const seen = new Map<string, Declared[]>();
  // Grouped on first need: only a create or rotate looks for strangers, and a plan without
  // changes has none.
  let liveByOwner: Map<string, LiveKey[]> | undefined;
  declared.forEach((at, name) => {
    const d = at.key;
    const family = specOf(ctx, d.kind).nameFamily;
    const base = family === undefined ? undefined : d.attributes?.[family.declared];
    if (family === undefined || typeof base !== 'string' || base === '') return;
    const group = ownerKey(d.provider, d.kind, d.owner);
    const sameOwner = seen.get(group) ?? [];
    const clash = sameOwner.find((o) => familiesOverlap(o.base, base));
    if (clash !== undefined) {
      const message = `keys ${clash.at.key.name} and ${name} of ${d.owner} use ${family.declared} "${clash.base}" and "${base}", whose rotated names collide; choose names that are not generations of each other (NAME, NAME-2, …)`;
      ctx.diagnostics.push(keyDiagnostic('error', PLAN_CODES.nameFamilyOverlap, message, at, family.declared));
    }
    sameOwner.push({ at, base });
    seen.set(group, sameOwner);

    const draft = inScope(name) ? drafts.get(addressOf(d.kind, name)) : undefined;
    if (draft === undefined || (draft.action !== 'create' && draft.action !== 'rotate') || !scopeWasRead(ctx, d)) return;
    liveByOwner ??= groupBy(ctx.liveKeys, (k) => ownerKey(k.provider, k.kind, k.owner));
    const strangers = (liveByOwner.get(group) ?? []).filter((k) => {
      if (k.status === 'deleting') return false;
      const identity = liveIdentity(k.provider, k.kind, k.id);
      const liveName = k.attributes?.[family.live];
      return !ctx.claimedBy.has(identity) && !intentClaimed.has(identity) && typeof liveName === 'string' && generationOf(base, liveName) !== undefined;
    });
    const holder = draft.action === 'create' && draft.reason === 'new' ? strangers.find((k) => k.attributes?.[family.live] === base) : undefined;
    if (holder !== undefined) {
      const message = `${name}: ${family.declared} "${base}" is already used by ${holder.id}, which keyplan does not manage; keyplan neither takes it over nor overwrites it: delete that key, or choose another ${family.declared}`;
      ctx.diagnostics.push(keyDiagnostic('error', PLAN_CODES.nameTaken, message, at, family.declared));
    } else if (strangers.length > 0) {
      const message = `${name}: ${describe(strangers)} in the name family of ${family.declared} "${base}" not managed by keyplan; the new key takes the name after the highest generation and leaves them alone`;
      ctx.diagnostics.push(keyDiagnostic('warning', PLAN_CODES.nameFamilyStrangers, message, at, family.declared));
    }
  });
}

/** Equal exactly when all three are equal (JSON keeps a malformed live key's non-string fields apart from strings). */
function ownerKey(provider: unknown, kind: unknown, owner: unknown): string {
  return JSON.stringify([provider, kind, owner]);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

function describe(keys: readonly LiveKey[]): string {
  const ids = keys.map((k) => k.id).sort();
  return ids.length === 1 ? `${ids[0] as string} is` : `${ids.join(', ')} are`;
}
