/**
 * Vault's ACL model, as much of it as answering 403 needs: a token holds rules of a path
 * pattern and capabilities. Patterns are matched against the API path after `/v1/`
 * (namespace first when there is one): `*` at the end matches any rest, `+` one segment.
 * When several rules match, the most specific wins (an exact path, else the longest
 * pattern), and `deny` in it refuses everything, as in Vault; Vault's full precedence
 * order between two globs is finer than "longest" [simplified].
 */

/** A capability of a Vault policy rule. */
export type Capability = 'create' | 'read' | 'update' | 'delete' | 'list' | 'patch' | 'sudo' | 'deny';

/** One `path "..." { capabilities = [...] }` rule. */
export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly Capability[];
}

/** Every capability, for validating rules given to the emulator. */
export const CAPABILITIES: readonly Capability[] = ['create', 'read', 'update', 'delete', 'list', 'patch', 'sudo', 'deny'];

function segmentsMatch(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === '+' || p === path[i]);
}

/** True when `pattern` covers `path`. */
export function patternMatches(pattern: string, path: string): boolean {
  if (!pattern.endsWith('*')) return segmentsMatch(pattern.split('/'), path.split('/'));
  const stem = pattern.slice(0, -1);
  if (!stem.includes('+')) return path.startsWith(stem);
  // A `+` before the glob: the segments up to the last full one match one by one, then a prefix.
  const stemParts = stem.split('/');
  const last = stemParts.pop() ?? '';
  const pathParts = path.split('/');
  if (pathParts.length <= stemParts.length) return false;
  return segmentsMatch(stemParts, pathParts.slice(0, stemParts.length)) && pathParts.slice(stemParts.length).join('/').startsWith(last);
}

/** True when the rules grant `capability` on `path`. */
export function allows(rules: readonly PolicyRule[], path: string, capability: Capability): boolean {
  const matching = rules.filter((r) => patternMatches(r.path, path));
  if (matching.length === 0) return false;
  const exact = matching.find((r) => !r.path.includes('*') && !r.path.includes('+'));
  const chosen = exact ?? [...matching].sort((a, b) => b.path.length - a.path.length)[0];
  if (chosen === undefined || chosen.capabilities.includes('deny')) return false;
  return chosen.capabilities.includes(capability);
}
