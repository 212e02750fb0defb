/**
 * src/render: turns a Plan (and its diagnostics) into text for people and machines:
 * human.ts, json.ts and markdown.ts. Renderers read only the Plan value, never providers
 * or state, so `plan` and `show` print the same thing. Colour and the symbols
 * `+ ~ - +/- -/+` exist only here.
 *
 * This file: the human plan, after Terraform's: a legend of the symbols used, one block per change in
 * address order (headline comment, symbol, aligned attribute lines, notes), the unmanaged
 * keys, diagnostics, and the summary line. Deterministic: no timestamps, no host state.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { LiveKey } from '../model/live.js';
import { planHasChanges, type Plan, type PlannedChange } from '../model/plan.js';
import { palette, type Palette, type Paint } from './ansi.js';
import { changeLines, glyphOf } from './change-lines.js';
import { PENDING_HEADING, pendingLine } from './reason-text.js';
import { keyPhaseLines, PHASES_HEADING } from './phase-text.js';
import { planSummarySentence } from './summary.js';

/** Options of the human renderer. */
export interface HumanRenderOptions {
  /** Colour the symbols with ANSI escapes (the CLI decides: a TTY and no NO_COLOR). */
  readonly color: boolean;
}

/** The symbol of a change's block and its legend entry. */
interface Legend {
  readonly glyph: string;
  readonly legend: string;
}

const SYMBOLS: readonly Legend[] = [
  { glyph: '+', legend: 'create' },
  { glyph: '~', legend: 'update in-place' },
  { glyph: '-', legend: 'delete' },
  { glyph: '+/-', legend: 'rotate: create the new key, then delete the old one' },
  { glyph: '-/+', legend: 'rotate: delete the old key, then create the new one' },
];

/** Renders a plan for a terminal. The text ends with a newline. */
export function renderPlanHuman(plan: Plan, options: HumanRenderOptions): string {
  const p = palette(options.color);
  const out: string[] = [];
  if (plan.changes.length > 0) {
    const used = new Set(plan.changes.map(glyphOf));
    out.push('Key actions are indicated with the following symbols:');
    for (const s of SYMBOLS) if (used.has(s.glyph)) out.push(`${symbol(p, s.glyph)} ${s.legend}`);
    out.push('', 'keyplan will perform the following actions:', '');
    for (const change of plan.changes) out.push(...changeBlock(change, p), '');
  }
  if (plan.unmanaged.length > 0) {
    out.push('Unmanaged keys (not in keys.yaml; keyplan leaves them alone):');
    for (const key of plan.unmanaged) out.push(`  ${unmanagedLine(key)}`);
    out.push('');
  }
  if (plan.phases !== undefined && plan.phases.length > 0) {
    out.push(PHASES_HEADING);
    for (const k of plan.phases) {
      const { head, items } = keyPhaseLines(k);
      out.push(`  ${head}`, ...items.map((item) => `    ${item}`));
    }
    out.push('');
  } else if ((plan.pending ?? []).length > 0) {
    // A plan file written before phases existed.
    out.push(PENDING_HEADING);
    for (const pending of plan.pending ?? []) out.push(`  ${pendingLine(pending)}`);
    out.push('');
  }
  for (const d of plan.diagnostics) out.push(...diagnosticBlock(d, p), '');
  if (plan.errored) out.push('keyplan cannot apply this plan until the errors above are fixed.', '');
  out.push(!planHasChanges(plan) ? 'No changes. Your keys match the configuration.' : planSummarySentence(plan.summary, p.bold));
  return `${out.join('\n')}\n`;
}

/** A block symbol right-aligned in three columns; only the glyph is painted. */
function symbol(p: Palette, glyph: string): string {
  const paint = glyph === '+' ? p.green : glyph === '-' ? p.red : p.yellow;
  return ' '.repeat(Math.max(0, 3 - glyph.length)) + paint(glyph);
}

function changeBlock(change: PlannedChange, p: Palette): string[] {
  return changeLines(change).map((line) => {
    const text = `${' '.repeat(line.indent)}${paintMarker(p, line.marker)(line.marker)}${line.text}`;
    return line.headline === true ? p.bold(text) : text;
  });
}

/** Green for additions, red for removals, yellow for changes and rotations; blank markers stay plain. */
function paintMarker(p: Palette, marker: string): Paint {
  if (marker.trim() === '') return (text) => text;
  return marker === '+' ? p.green : marker === '-' ? p.red : p.yellow;
}

function unmanagedLine(key: LiveKey): string {
  const facts = [`owner ${key.owner}`, key.status];
  if (key.createdAt !== undefined) facts.push(`created ${key.createdAt}`);
  if (key.marker !== undefined) facts.push(`marked for ${JSON.stringify(key.marker)}`);
  return `${key.kind} ${key.id} (${facts.join(', ')})`;
}

function diagnosticBlock(d: Diagnostic, p: Palette): string[] {
  const label = d.severity === 'error' ? p.red(p.bold('Error:')) : p.yellow(p.bold('Warning:'));
  const lines = [`${label} ${d.message}`];
  const where = d.range === undefined ? undefined : `${d.range.file} line ${d.range.line}`;
  if (where !== undefined && d.path !== undefined) lines.push(`  on ${where}, in ${d.path}`);
  else if (where !== undefined) lines.push(`  on ${where}`);
  else if (d.path !== undefined) lines.push(`  in ${d.path}`);
  return lines;
}
