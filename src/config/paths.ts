/**
 * Paths into the config value: segment arrays (`['keys', 2, 'user']`) and their printed
 * dot form (`keys[2].user`), as used in every config diagnostic.
 */

/** One step into the config: a mapping key or a list index. */
export type PathSegment = string | number;

/** A location in the config value, from the root. */
export type Path = readonly PathSegment[];

// Segments that print as `.name`; anything else prints quoted (`["a.b"]`) so it stays unambiguous.
const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Prints a path the way diagnostics show it: `keys[2].outputs[0].path`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_SEGMENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Turns an ajv `instancePath` (a JSON pointer) into segments. A segment becomes a number
 * only where the value at that point is a list, because a mapping may have a key "0".
 */
export function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let value: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^\d+$/.test(seg)) {
      const index = Number(seg);
      path.push(index);
      value = value[index];
    } else {
      path.push(seg);
      value = isRecord(value) ? value[seg] : undefined;
    }
  }
  return path;
}

/** True when `inner` is `outer` or lies below it. */
export function isWithin(inner: Path, outer: Path): boolean {
  return outer.length <= inner.length && outer.every((seg, i) => inner[i] === seg);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
