/**
 * The pieces of the Markdown plan: the headline, the warning banners, the diff lines of a
 * change, the lists of unmanaged keys and diagnostics. markdown.ts assembles and fits them.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { LiveKey } from '../model/live.js';
import { planHasChanges, type Plan, type PlannedChange } from '../model/plan.js';
import { changeLines, type BlockLine } from './change-lines.js';
import { planSummarySentence } from './summary.js';

/** Names listed in a banner line before "and N more". */
const BANNER_NAMES = 10;

/** `12,345`: grouped the same way on every machine, whatever its locale. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 key`, `2 keys`. */
export function count(n: number, noun: string): string {
  return `${thousands(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** The status line under the title: counts of changes, unmanaged keys and diagnostics. */
export function headline(plan: Plan): string {
  const extra: string[] = [];
  if (plan.unmanaged.length > 0) extra.push(count(plan.unmanaged.length, 'unmanaged key'));
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = plan.diagnostics.length - errors;
  if (errors > 0) extra.push(count(errors, 'error'));
  if (warnings > 0) extra.push(count(warnings, 'warning'));
  const status = !planHasChanges(plan) ? '**No changes.** Your keys match the configuration.' : `**${planSummarySentence(plan.summary)}**`;
  return extra.length === 0 ? status : `${status} See below: ${extra.join(', ')}.`;
}

/**
 * GitHub alerts above the fold: an errored plan, and every change that takes a live key
 * away, the riskiest first (old key deleted before its replacement exists, then no
 * overlap, then plain deletes and retirements), naming the keys.
 */
export function banners(plan: Plan): string[] {
  const out: string[] = [];
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (plan.errored) {
    out.push(alert('CAUTION', [`**This plan cannot be applied:** planning found ${count(errors, 'error')} (listed below).`]));
  }
  const deleteFirst: PlannedChange[] = [];
  const noOverlap: PlannedChange[] = [];
  const deleted: PlannedChange[] = [];
  const retired: PlannedChange[] = [];
  const deactivated: PlannedChange[] = [];
  for (const c of plan.changes) {
    if ((c.deactivates ?? []).length > 0) deactivated.push(c);
    if (c.action === 'retire' && c.deletes.length === 0) continue;
    if (c.action === 'rotate' && c.order === 'delete_before_create') deleteFirst.push(c);
    else if (c.action === 'rotate' && !((c.overlapMs ?? 0) > 0)) noOverlap.push(c);
    else if (c.action === 'retire') retired.push(c);
    else if (c.action === 'delete' || c.deletes.length > 0) deleted.push(c);
  }
  const lines: string[] = [];
  if (deleteFirst.length > 0) lines.push(`- **Rotated old key first** (no working key until the new one is delivered): ${names(deleteFirst)}`);
  if (noOverlap.length > 0) lines.push(`- **Rotated without overlap** (the old key is deleted as soon as the new one is delivered): ${names(noOverlap)}`);
  if (deleted.length > 0) lines.push(`- **Deleted:** ${names(deleted)}`);
  if (retired.length > 0) lines.push(`- **Old keys retired** (their rotation overlap has ended): ${names(retired)}`);
  if (lines.length > 0) out.push(alert('WARNING', ['**This plan deletes live keys.** Anything still using them stops working.', ...lines]));
  if (deactivated.length > 0) {
    const why = '(their rotation overlap has ended; `keyplan rotation undo NAME` brings one back until it is deleted)';
    out.push(
      alert('WARNING', [
        '**This plan deactivates old keys.** Anything still using them fails to authenticate.',
        `- **Deactivated** ${why}: ${names(deactivated)}`,
      ]),
    );
  }
  return out;
}

/** The legend of the symbols the diff uses, only those present. */
export function legend(changes: readonly PlannedChange[]): string {
  const blocks = changes.map(changeLines);
  const glyphs = new Set(blocks.map((lines) => diffMarker(lines[1]?.marker ?? '')));
  // `!` also marks a changed attribute inside a rotation or an update.
  const changedAttribute = blocks.some((lines) => lines.slice(2).some((l) => l.marker === '~'));
  const entries: Array<[string, string]> = [
    ['+', 'create'],
    ['!', glyphs.has('!') && changedAttribute ? 'update in place (on an attribute: its value changes)' : 'update in place'],
    ['-', 'delete'],
    ['+/-', 'rotate, new key first'],
    ['-/+', 'rotate, old key deleted first'],
  ];
  const shown = entries.filter(([glyph]) => glyphs.has(glyph)).map(([glyph, words]) => `${code(glyph)} ${words}`);
  if (changedAttribute && !glyphs.has('!')) shown.push(`${code('!')} an attribute that changes`);
  return `Symbols: ${shown.join(' · ')}.`;
}

/** A change's lines for a ```diff block: each marker at column 0, `~` written as `!`. */
export function changeDiffLines(change: PlannedChange): string[] {
  return changeLines(change).map(diffLine);
}

/** GitHub colours `+` green, `-` red and `!` orange in a diff block; `~` would stay plain (Atlantis does the same). */
function diffLine(line: BlockLine): string {
  if (line.marker === '') return `${' '.repeat(line.indent)}${line.text}`;
  return `${diffMarker(line.marker)}${' '.repeat(line.indent)}${line.text}`;
}

function diffMarker(marker: string): string {
  return marker === '~' ? '!' : marker;
}

/** A list item for an unmanaged key. */
export function unmanagedItem(key: LiveKey): string {
  const facts = [`owner ${code(key.owner)}`, key.status];
  if (key.createdAt !== undefined) facts.push(`created ${key.createdAt}`);
  if (key.expiresAt !== undefined) facts.push(`expires ${key.expiresAt}`);
  if (key.marker !== undefined) facts.push(`marked for ${code(key.marker)}`);
  return `- ${code(key.kind)} ${code(key.id)} (${facts.join(', ')})`;
}

/** A list item for a diagnostic: severity, code, place, message. */
export function diagnosticItem(d: Diagnostic): string {
  const label = d.severity === 'error' ? '**Error**' : '**Warning**';
  const where: string[] = [];
  if (d.range !== undefined) where.push(code(`${d.range.file}:${d.range.line}:${d.range.column}`));
  if (d.path !== undefined) where.push(code(d.path));
  const place = where.length === 0 ? '' : ` ${where.join(' ')}:`;
  return `- ${label} ${code(d.code)}${place} ${escapeText(d.message)}`;
}

/** Inline code that survives backticks in the text (CommonMark: a longer delimiter). */
export function code(raw: string): string {
  const text = raw.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** Text with the characters Markdown or HTML would interpret escaped; one line. */
export function escapeText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|~&]/g, (c) => HTML_ESCAPES[c] ?? `\\${c}`);
}

/** A fence longer than any backtick run in the lines, so a value holding ``` cannot close it. */
export function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) for (const m of line.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function names(changes: readonly PlannedChange[]): string {
  const shown = changes.slice(0, BANNER_NAMES).map((c) => code(c.address));
  const more = changes.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${thousands(more)} more` : shown.join(', ');
}

function alert(kind: 'WARNING' | 'CAUTION', lines: readonly string[]): string {
  return [`> [!${kind}]`, ...lines.map((l) => `> ${l}`)].join('\n');
}
