/**
 * The block of one change as structured lines: indentation, a marker and the text after
 * it. The human view paints the markers where they stand; the Markdown view moves them to
 * column 0 so GitHub colours the lines of a ```diff block. One layout, two renderings.
 */
import type { PlannedChange } from '../model/plan.js';
import type { TextLine } from './attribute-diff.js';
import { attributeLines, type AttributeLine } from './human-attributes.js';
import { changeHeadline } from './reason-text.js';

/** A line of a change block. */
export interface BlockLine {
  /** Spaces before the marker. */
  readonly indent: number;
  /** `+`, `-`, `~`, ` `, a rotation glyph `+/-` or `-/+`, or `` when the line has none. */
  readonly marker: string;
  /** Everything after the marker. */
  readonly text: string;
  /** The headline comment, printed bold in a terminal. */
  readonly headline?: boolean;
}

/** The block symbol of a change: `+/-` or `-/+` for rotations, by their order. */
export function glyphOf(change: Pick<PlannedChange, 'action' | 'order'> & Partial<Pick<PlannedChange, 'deletes' | 'deactivates' | 'verifies'>>): string {
  switch (change.action) {
    case 'create':
      return '+';
    case 'update':
      return '~';
    case 'rotate':
      // Verifying an unverified rotation's new key again creates nothing: the key changes in place.
      if (change.verifies !== undefined) return '~';
      return change.order === 'delete_before_create' ? '-/+' : '+/-';
    case 'delete':
      return '-';
    case 'retire':
      // Deactivating old keys changes them in place; deleting any is a delete.
      return change.deletes?.length === 0 && (change.deactivates ?? []).length > 0 ? '~' : '-';
  }
}

/** The lines of a change's block: headline, symbol and name, attributes, notes, closing brace. */
export function changeLines(change: PlannedChange): BlockLine[] {
  const glyph = glyphOf(change);
  const lines: BlockLine[] = [
    { indent: 2, marker: '', text: `# ${change.address} ${changeHeadline(change)}`, headline: true },
    // The glyph is right-aligned in three columns so `+`, `+/-` and `-/+` blocks line up.
    { indent: Math.max(0, 3 - glyph.length), marker: glyph, text: ` ${change.kind} ${JSON.stringify(change.name)} {` },
  ];
  const attrs = attributeLines(change);
  const width = Math.max(0, ...attrs.map((a) => a.name.length));
  for (const a of attrs) lines.push(...attributeBlock(a, width));
  for (const note of change.notes) lines.push({ indent: 8, marker: '', text: `# (${note})` });
  if (change.dependsOn.length > 0) lines.push({ indent: 8, marker: '', text: `# (applied after: ${change.dependsOn.join(', ')})` });
  lines.push({ indent: 4, marker: '', text: '}' });
  return lines;
}

/** An attribute line, and for a multi-line value its heredoc body and closing `EOT`. */
function attributeBlock(a: AttributeLine, width: number): BlockLine[] {
  const comment = a.comment === undefined ? '' : ` ${a.comment}`;
  const lines: BlockLine[] = [{ indent: 6, marker: a.marker, text: ` ${a.name.padEnd(width)} = ${a.value}${comment}` }];
  if (a.heredoc === undefined) return lines;
  for (const line of a.heredoc.lines) lines.push(bodyLine(line));
  lines.push({ indent: 8, marker: '', text: `EOT${a.heredoc.suffix}` });
  return lines;
}

/** Body lines sit four columns right of the attribute name, their marker two columns before. */
function bodyLine(line: TextLine): BlockLine {
  if ('hidden' in line) {
    return { indent: 10, marker: ' ', text: ` # (${line.hidden} unchanged ${line.hidden === 1 ? 'line' : 'lines'} hidden)` };
  }
  if ('note' in line) return { indent: 10, marker: ' ', text: ` # (${line.note})` };
  return { indent: 10, marker: line.marker, text: ` ${line.text}` };
}
