/**
 * Line diffs of multi-line attribute values (a public key PEM, a config profile, any string
 * holding a newline), so a reviewer sees which lines change instead of two long quoted
 * strings. One general rule: every non-sensitive string attribute that contains a newline
 * is shown as a heredoc with a line diff, in the human and the Markdown plan alike.
 * Sensitive attributes never reach this module; the callers mark them `(sensitive value)`.
 */
import { createRequire } from 'node:module';
import type { AttributeValue } from '../model/desired.js';

// `diff` is loaded when a plan shows a multi-line change, not by every run that renders one.
const require = createRequire(import.meta.url);

/** One line of a heredoc body: a kept, removed or added line, or a run of hidden unchanged lines. */
export type TextLine = { readonly marker: '+' | '-' | ' '; readonly text: string } | { readonly hidden: number } | { readonly note: string };

/** Unchanged lines kept around each change; longer unchanged runs are folded. @default 3 */
export const DIFF_CONTEXT = 3;

/** Whether a value is shown as a heredoc: a string with a line break in it. */
export function isMultiline(value: AttributeValue | undefined): value is string {
  return typeof value === 'string' && /[\r\n]/.test(value);
}

/** The lines of a text: CRLF and LF both break lines, and one final line break ends the last line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map(printable);
}

/** All lines of a value that appears (`+`) or disappears (`-`) as a whole. */
export function wholeText(marker: '+' | '-', text: string): TextLine[] {
  return splitLines(text).map((line) => ({ marker, text: line }));
}

/** An unchanged value: its lines folded away, since it is not what the reviewer is asked about. */
export function unchangedText(text: string): TextLine[] {
  return [{ hidden: splitLines(text).length }];
}

/**
 * The line diff of two values, removed lines before added ones, with `context` unchanged
 * lines kept around each change and longer unchanged runs folded into a count.
 */
export function lineDiff(before: string, after: string, context: number = DIFF_CONTEXT): TextLine[] {
  const lines: Array<{ readonly marker: '+' | '-' | ' '; readonly text: string }> = [];
  // Both sides end with a line break before diffing, so a value's last line compares
  // equal whether or not the value ended with one; that difference is noted separately.
  const { diffLines } = require('diff') as typeof import('diff');
  for (const part of diffLines(withFinalBreak(before), withFinalBreak(after), { stripTrailingCr: true })) {
    const marker = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of splitLines(part.value)) lines.push({ marker, text });
  }
  const out = foldUnchanged(lines, context);
  const endedBefore = /\n$/.test(before);
  const endsAfter = /\n$/.test(after);
  if (endedBefore !== endsAfter) out.push({ note: endsAfter ? 'a final line break is added' : 'the final line break is removed' });
  return out;
}

/** Keeps `context` unchanged lines next to each change and replaces the rest with counts. */
function foldUnchanged(lines: ReadonlyArray<{ readonly marker: '+' | '-' | ' '; readonly text: string }>, context: number): TextLine[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.marker === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: TextLine[] = [];
  let hidden = 0;
  lines.forEach((line, i) => {
    if (keep[i] === true) {
      if (hidden > 0) out.push({ hidden });
      hidden = 0;
      out.push(line);
    } else {
      hidden++;
    }
  });
  if (hidden > 0) out.push({ hidden });
  return out;
}

function withFinalBreak(text: string): string {
  return /\n$/.test(text) ? text : `${text}\n`;
}

/**
 * A line as it may be printed: control characters (which could move a terminal's cursor
 * or recolour the plan) are written as `\u00XX`; tabs stay.
 */
function printable(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
