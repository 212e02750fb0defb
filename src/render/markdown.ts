/**
 * The Markdown plan, for pull request comments and `$GITHUB_STEP_SUMMARY`: the title and
 * the counts, then warning banners (errors; live keys deleted, rotated old-key-first or
 * without overlap), all above the fold; the per-key diff folded in `<details>` inside a
 * ```diff block with markers at column 0; unmanaged keys and diagnostics; and the
 * summary line last. When the text would pass `maxLength`, keys are dropped from the end
 * of the diff (then list items), never the headline or the end, and a note says how much
 * is missing and how to see it all.
 */
import { planHasChanges, type KeyPhases, type Plan, type PendingRetirement } from '../model/plan.js';
import { banners, code, count, diagnosticItem, changeDiffLines, escapeText, fenceFor, headline, legend, thousands, unmanagedItem } from './markdown-parts.js';
import { planSummarySentence } from './summary.js';
import { keyPhaseLines } from './phase-text.js';

/** GitHub's limit on the body of an issue or pull request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Options of the Markdown renderer. */
export interface MarkdownOptions {
  /** The heading. @default 'keyplan plan' */
  readonly title?: string;
  /**
   * Longest text to produce, checked against its UTF-8 byte length: never less than its
   * length in characters, so the bound holds for GitHub's comment limit (characters) and
   * the job summary's (1 MiB, bytes) alike. @default 65536
   */
  readonly maxLength?: number;
  /** The command a reader runs to see a shortened plan in full. @default 'keyplan show plan.kp' */
  readonly showCommand?: string;
}

/** How many of each list a rendering shows. */
interface Fit {
  readonly blocks: number;
  readonly unmanaged: number;
  readonly diagnostics: number;
}

/** Renders a plan as GitHub-flavoured Markdown. The text ends with a newline. */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const head = [`### ${escapeText(options.title ?? 'keyplan plan')}`, headline(plan), ...banners(plan)].join('\n\n');
  const blocks = plan.changes.map(changeDiffLines);
  const fence = fenceFor(blocks.flat());
  const unmanaged = plan.unmanaged.map(unmanagedItem);
  const diagnostics = plan.diagnostics.map(diagnosticItem);
  // Plans made before phases existed list their pending retirements instead.
  const phases = plan.phases?.map(phaseItem);
  const pending = phases ?? (plan.pending ?? []).map(pendingItem);
  const showCommand = options.showCommand ?? 'keyplan show plan.kp';

  const compose = (fit: Fit): string => {
    const sections = [head];
    if (blocks.length > 0) sections.push(diffSection(plan, blocks, fit.blocks, fence));
    if (unmanaged.length > 0) {
      sections.push(listSection('Unmanaged keys', 'Not in keys.yaml; keyplan leaves them alone.', unmanaged, fit.unmanaged));
    }
    if (pending.length > 0) {
      // Bounded, so the fitting above still has room to work with.
      sections.push(
        phases === undefined
          ? listSection('Rotations in progress', 'Not changes yet: each old key is retired by the first apply after its time.', pending, PENDING_SHOWN)
          : listSection('Rotation phases', 'Where each rotating key stands before this apply, and its next phase.', pending, PENDING_SHOWN),
      );
    }
    if (diagnostics.length > 0) sections.push(listSection(diagnosticsTitle(plan), '', diagnostics, fit.diagnostics));
    const cut = cutNote({ blocks: blocks.length, unmanaged: unmanaged.length, diagnostics: diagnostics.length }, fit, max, showCommand);
    if (cut !== undefined) sections.push(cut);
    // The summary closes every plan that has more than its headline, so it is still in view
    // at the end of a long comment (and is what a shortened comment always keeps).
    if (sections.length > 1) sections.push(!planHasChanges(plan) ? 'No changes. Your keys match the configuration.' : planSummarySentence(plan.summary));
    return `${sections.join('\n\n')}\n`;
  };
  return fitted(compose, { blocks: blocks.length, unmanaged: unmanaged.length, diagnostics: diagnostics.length }, max);
}

/** The folded diff: a legend and one fenced ```diff block holding the first `shown` changes. */
function diffSection(plan: Plan, blocks: readonly (readonly string[])[], shown: number, fence: string): string {
  const lines = [`<details><summary>Show the plan (${count(plan.changes.length, 'key')} to change)</summary>`, '', legend(plan.changes), '', `${fence}diff`];
  blocks.slice(0, shown).forEach((block, i) => {
    if (i > 0) lines.push('');
    lines.push(...block);
  });
  const hidden = blocks.length - shown;
  if (hidden > 0) lines.push(...(shown > 0 ? [''] : []), `# (${count(hidden, 'more key')} not shown here; see the note below)`);
  lines.push(fence, '', '</details>');
  return lines.join('\n');
}

/** Rotations in progress listed at most; the rest are counted. */
const PENDING_SHOWN = 20;

function pendingItem(p: PendingRetirement): string {
  return `- ${code(p.address)}: old key ${code(p.id)} is kept until ${p.retireAfter}; the first apply after that retires it`;
}

function phaseItem(k: KeyPhases): string {
  const { head, items } = keyPhaseLines(k, code);
  return [`- ${head}`, ...items.map((item) => `  - ${item}`)].join('\n');
}

function listSection(title: string, intro: string, items: readonly string[], shown: number): string {
  const lines = [`#### ${title}`, ''];
  if (intro !== '') lines.push(intro, '');
  lines.push(...items.slice(0, shown));
  if (items.length > shown) lines.push(`- … and ${thousands(items.length - shown)} more`);
  return lines.join('\n');
}

function diagnosticsTitle(plan: Plan): string {
  const errors = plan.diagnostics.some((d) => d.severity === 'error');
  const warnings = plan.diagnostics.some((d) => d.severity === 'warning');
  return errors && warnings ? 'Errors and warnings' : errors ? 'Errors' : 'Warnings';
}

/** The note of a shortened plan: what is missing and how to see it all. */
function cutNote(all: Fit, fit: Fit, max: number, showCommand: string): string | undefined {
  const missing: string[] = [];
  if (fit.blocks < all.blocks) missing.push(`${thousands(all.blocks - fit.blocks)} of ${count(all.blocks, 'changed key')}`);
  if (fit.unmanaged < all.unmanaged) missing.push(`${thousands(all.unmanaged - fit.unmanaged)} of ${count(all.unmanaged, 'unmanaged key')}`);
  if (fit.diagnostics < all.diagnostics) missing.push(`${thousands(all.diagnostics - fit.diagnostics)} of ${count(all.diagnostics, 'diagnostic')}`);
  if (missing.length === 0) return undefined;
  return [
    '> [!NOTE]',
    `> This plan was shortened to fit in ${thousands(max)} characters: ${missing.join(', ')} are not shown.`,
    `> Run ${code(showCommand)} to see the whole plan.`,
  ].join('\n');
}

/**
 * The fullest rendering within `max`: all of it if it fits, else as many diff blocks as fit,
 * then (with no blocks) as many unmanaged keys, then diagnostics. Each count is found by
 * bisection, since a rendering only grows with what it shows.
 */
function fitted(compose: (fit: Fit) => string, all: Fit, max: number): string {
  const fits = (fit: Fit): boolean => Buffer.byteLength(compose(fit), 'utf8') <= max;
  if (fits(all)) return compose(all);
  const blocks = largest(all.blocks, (n) => fits({ ...all, blocks: n }));
  if (blocks >= 0) return compose({ ...all, blocks });
  const unmanaged = largest(all.unmanaged, (n) => fits({ ...all, blocks: 0, unmanaged: n }));
  if (unmanaged >= 0) return compose({ ...all, blocks: 0, unmanaged });
  const diagnostics = largest(all.diagnostics, (n) => fits({ blocks: 0, unmanaged: 0, diagnostics: n }));
  if (diagnostics >= 0) return compose({ blocks: 0, unmanaged: 0, diagnostics });
  // Only a limit smaller than the headline itself gets here: cut the text hard.
  return hardCut(compose({ blocks: 0, unmanaged: 0, diagnostics: 0 }), max);
}

/** The largest n in [0, hi] for which `ok(n)` holds (ok must be monotone), or -1. */
function largest(hi: number, ok: (n: number) => boolean): number {
  if (!ok(0)) return -1;
  let lo = 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function hardCut(text: string, max: number): string {
  const chars = [...text];
  const n = largest(chars.length, (k) => Buffer.byteLength(`${chars.slice(0, k).join('')}\n`, 'utf8') <= max);
  return n < 0 ? '' : `${chars.slice(0, n).join('')}\n`;
}
