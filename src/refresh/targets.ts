/**
 * `--target` at refresh time: which provider blocks a targeted plan must read. Only the
 * providers of the targeted keys and of the keys they depend on are configured and read,
 * so a provider whose credentials are missing here does not block a plan that does not
 * touch it (Terraform reads only the targeted resources' providers too).
 */
import type { DesiredKey } from '../model/desired.js';
import type { KeyplanState } from '../model/state.js';

/**
 * The provider block names a plan with `targets` reads, sorted; undefined when there are no
 * targets (every provider is read). A declared target brings the keys it depends on,
 * transitively (as plan/targets.ts resolves them); a name that is only in the state or the
 * journal brings the provider it is recorded under.
 */
export function providersForTargets(desired: readonly DesiredKey[], state: KeyplanState, targets: readonly string[] | undefined): string[] | undefined {
  if (targets === undefined || targets.length === 0) return undefined;
  const declared = new Map(desired.map((k) => [k.name, k] as const));
  const names = new Set<string>();
  const pending = [...targets];
  // Iterative walk with a visited set: terminates even if depends_on has cycles.
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (names.has(name)) continue;
    names.add(name);
    for (const dep of declared.get(name)?.dependsOn ?? []) if (!names.has(dep)) pending.push(dep);
  }
  const providers = new Set<string>();
  for (const name of names) {
    const key = declared.get(name);
    if (key !== undefined) providers.add(key.provider);
    const record = state.keys[name];
    if (record !== undefined) providers.add(record.provider);
  }
  for (const intent of state.intents) if (names.has(intent.name)) providers.add(intent.provider);
  return [...providers].sort();
}
