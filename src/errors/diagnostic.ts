/** Diagnostics: problems reported to the user, with a place in the config where known. */
import type { SourceRange } from '../model/source.js';

export type Severity = 'error' | 'warning';

/** One problem. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code, `KP_<AREA>_<E|W>nnnn`. */
  readonly code: string;
  /** One sentence, no trailing period required. */
  readonly message: string;
  /** Dot path of the offending value, e.g. `keys[2].user`. */
  readonly path?: string;
  readonly range?: SourceRange;
}

/** `keys.yaml:3:5: keys[2].user: message` (parts that are unknown are left out). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.range ? `${d.range.file}:${d.range.line}:${d.range.column}: ` : '';
  const path = d.path ? `${d.path}: ` : '';
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}${prefix}${path}${d.message}`;
}

/** Sorts by file, line, column, then message, so reports are stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.range?.file ?? '').localeCompare(b.range?.file ?? '') ||
      (a.range?.line ?? 0) - (b.range?.line ?? 0) ||
      (a.range?.column ?? 0) - (b.range?.column ?? 0) ||
      a.message.localeCompare(b.message),
  );
}
