/**
 * Merging one profile into the text of an OCI config file (INI, `providers/oci.md` §4),
 * as a pure function. Every line outside the profile keyplan owns is kept byte for byte,
 * including comments, blank lines and CRLF line ends.
 *
 * Ownership: keyplan writes `# managed by keyplan: <key name>` on the line directly above
 * the section header. A section with that marker for the same key is replaced; any other
 * existing section of that name is refused, since it holds credentials someone else uses.
 *
 * The section keyplan replaces runs from its marker to the next section header, minus the
 * comment and blank lines right above that header: those describe the next section (they
 * may be the next profile's own keyplan marker).
 */

/** The text every marker line starts with. */
import { MARKER_PREFIX } from '../../../outputs/marker.js';

/** One profile to write. */
export interface ProfileSection {
  /** Section name, e.g. `CI_DEPLOYER`. */
  readonly profile: string;
  /** keyplan key name written into the marker. */
  readonly owner: string;
  /** `key=value` lines, in order. */
  readonly entries: readonly (readonly [string, string])[];
}

/** What {@link mergeProfile} did or why it refused. */
export type MergeOutcome =
  | { readonly kind: 'merged'; readonly text: string; readonly replaced: boolean }
  /** The section exists without this key's marker; `owner` is the key named by another keyplan marker, if any. */
  | { readonly kind: 'not_owned'; readonly owner?: string }
  /** The section appears more than once, so which lines belong to it is ambiguous. */
  | { readonly kind: 'duplicate'; readonly count: number };

/** Adds or replaces `section` in `existing` (the file's text, '' when there is none). */
export function mergeProfile(existing: string, section: ProfileSection): MergeOutcome {
  const lines = existing === '' ? [] : existing.split(/(?<=\n)/);
  // Lines we add follow the file's convention, so a Windows-edited file stays consistent.
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const block = [`${MARKER_PREFIX}${section.owner}`, `[${section.profile}]`, ...section.entries.map(([k, v]) => `${k}=${v}`)]
    .map((line) => line + eol)
    .join('');

  const headers = lines.flatMap((line, index) => (sectionName(line) === section.profile ? [index] : []));
  if (headers.length > 1) return { kind: 'duplicate', count: headers.length };
  const header = headers[0];
  if (header === undefined) {
    let prefix = existing;
    if (prefix !== '' && !prefix.endsWith('\n')) prefix += eol;
    // One blank line between the previous section and ours, unless there already is one.
    if (prefix !== '' && !isBlank(lines[lines.length - 1] ?? '')) prefix += eol;
    return { kind: 'merged', text: prefix + block, replaced: false };
  }

  const owner = header > 0 ? markerOwner(lines[header - 1] ?? '') : undefined;
  if (owner !== section.owner) return owner === undefined ? { kind: 'not_owned' } : { kind: 'not_owned', owner };

  let end = lines.findIndex((line, index) => index > header && sectionName(line) !== undefined);
  if (end === -1) end = lines.length;
  while (end - 1 > header && isBlankOrComment(lines[end - 1] ?? '')) end--;
  // The kept tail starts on a fresh line: if our section was the last and lacked a final newline, the block adds one.
  const text = lines.slice(0, header - 1).join('') + block + lines.slice(end).join('');
  return { kind: 'merged', text, replaced: true };
}

/** The section name a header line declares, trimmed as the OCI SDK's parser does; undefined for other lines. */
export function sectionName(line: string): string | undefined {
  const trimmed = stripEol(line)
    .replace(/^\uFEFF/, '')
    .trim();
  if (trimmed.length < 2 || !trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  return trimmed.slice(1, -1).trim();
}

/** The key name of a keyplan marker line, or undefined when the line is not one. */
export function markerOwner(line: string): string | undefined {
  const trimmed = stripEol(line).trim();
  if (!trimmed.startsWith(MARKER_PREFIX.trimEnd())) return undefined;
  const owner = trimmed.slice(MARKER_PREFIX.trimEnd().length).trim();
  return owner === '' ? undefined : owner;
}

function stripEol(line: string): string {
  return line.replace(/\r?\n$/, '');
}

function isBlank(line: string): boolean {
  return stripEol(line).trim() === '';
}

/** Python's configparser (the OCI CLI) also takes `;` comments, so both count. */
function isBlankOrComment(line: string): boolean {
  const trimmed = stripEol(line).trim();
  return trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';');
}
