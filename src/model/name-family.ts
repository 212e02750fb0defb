/**
 * Name families of keys whose live name is chosen from the declaration (e.g. named tokens):
 * the declared base name is generation 1, and each rotation creates the next generation
 * `base-2`, `base-3`, … so the old and the new key can live side by side during an
 * overlap. The planner (conflict checks) and the adapter (choosing the next name) share
 * these rules, so they always agree on which live names belong to a declared key.
 */

const GENERATION_SUFFIX = /^-([2-9]|[1-9][0-9]+)$/;

/** The generation of `name` within `base`'s family (1 for `base` itself), or undefined when it is not in it. */
export function generationOf(base: string, name: string): number | undefined {
  if (name === base) return 1;
  if (!name.startsWith(base)) return undefined;
  const match = GENERATION_SUFFIX.exec(name.slice(base.length));
  return match === null ? undefined : Number(match[1]);
}

/** The live name of generation `n` (1 is the base name itself). */
export function generationName(base: string, n: number): string {
  return n <= 1 ? base : `${base}-${n}`;
}

/**
 * The name a new key of `base`'s family gets: the base name when no member of the family
 * exists, otherwise one generation past the highest one in `taken`. Always past the
 * highest, never a gap below it, so a name is not reused while an older generation lives.
 */
export function nextGenerationName(base: string, taken: Iterable<string>): string {
  let highest = 0;
  for (const name of taken) highest = Math.max(highest, generationOf(base, name) ?? 0);
  return generationName(base, highest + 1);
}

/** Whether some live name could belong to both families (`a` and `a-2`, or equal bases). */
export function familiesOverlap(a: string, b: string): boolean {
  return generationOf(a, b) !== undefined || generationOf(b, a) !== undefined;
}
