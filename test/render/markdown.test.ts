import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/plan/planner.js';
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from '../../src/render/markdown.js';
import { DAY, daysAgo, desired, live, options, record, snapshot, state, updateChange } from '../helpers/plan-fixtures.js';
import { planOf } from './golden-cases.js';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

/** Fences open and close in pairs, and every <details> is closed: the comment cannot swallow what follows. */
function expectBalanced(md: string): void {
  const fences = md.split('\n').filter((l) => /^`{3,}/.test(l));
  expect(fences.length % 2).toBe(0);
  expect(md.split('<details>').length).toBe(md.split('</details>').length);
}

/** 2,000 keys, one per OCI user: creates, requested rotations without overlap, aged rotations with one, and deletes. */
function bigPlan(): Plan {
  const user = (i: number): string => `ocid1.user.oc1..u${String(i).padStart(4, '0')}`;
  const declared = [];
  const records = [];
  const keys = [];
  const rotate: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const name = `key-${String(i).padStart(4, '0')}`;
    const owner = user(i);
    const attributes = { user: owner, bits: 2048 };
    const kind = i % 4;
    if (kind !== 3)
      declared.push(desired(name, { owner, attributes, rotation: { overlapMs: kind === 2 ? 7 * DAY : 0, maxAgeMs: 90 * DAY, requireOverlap: false } }));
    if (kind === 0) continue;
    records.push(record(name, `fp-${i}`, { owner, current: { id: `fp-${i}`, createdAt: daysAgo(kind === 2 ? 100 : 1), attributes } }));
    keys.push(live(`fp-${i}`, { owner }));
    if (kind === 1) rotate.push(name);
  }
  const scopes = Array.from({ length: 2000 }, (_, i) => ({ provider: 'oci', kind: 'oci.api_key', owner: user(i) }));
  return plan(declared, snapshot(keys, scopes), state(records), options({ rotate }));
}

describe('renderPlanMarkdown: size', () => {
  const big = bigPlan();

  it('keeps a plan of 2,000 changed keys under 65,536 characters with the headline, banner and summary', () => {
    expect(big.changes).toHaveLength(2000);
    const md = renderPlanMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(bytes(md)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith('### keyplan plan\n\n**Plan: 500 to create, 1000 to rotate, 0 to update, 500 to delete.**\n')).toBe(true);
    expect(lastLine(md)).toBe('Plan: 500 to create, 1000 to rotate, 0 to update, 500 to delete.');
    expect(md).toMatch(/\*\*Rotated without overlap\*\* .*`oci\.api_key\.key-0001`.* and 490 more\n/);
    expect(md).toMatch(/\*\*Deleted:\*\* .* and 490 more\n/);
    expectBalanced(md);
    // The note says how much is missing and how to see it all; the diff shows whole blocks only.
    const shown = md.split('\n').filter((l) => l.startsWith('  # oci.api_key.')).length;
    const hidden = 2000 - shown;
    expect(shown).toBeGreaterThan(50);
    expect(md).toContain(`# (${hidden.toLocaleString('en-US')} more keys not shown here; see the note below)`);
    expect(md).toContain(
      `> This plan was shortened to fit in 65,536 characters: ${hidden.toLocaleString('en-US')} of 2,000 changed keys are not shown.\n> Run \`keyplan show plan.kp\` to see the whole plan.\n`,
    );
    expect(md.split('\n').filter((l) => /^ {4}\}$/.test(l))).toHaveLength(shown);
  });

  it('uses the room it has: one more key would not fit', () => {
    const md = renderPlanMarkdown(big);
    const shown = md.split('\n').filter((l) => l.startsWith('  # oci.api_key.')).length;
    const limit = bytes(md);
    // Rendering with a limit one byte smaller must drop a key; the search found the largest fit.
    const tighter = renderPlanMarkdown(big, { maxLength: limit - 1 });
    expect(tighter.split('\n').filter((l) => l.startsWith('  # oci.api_key.')).length).toBe(shown - 1);
  });

  it('renders the whole plan when the limit allows (the 1 MiB job summary)', () => {
    const md = renderPlanMarkdown(big, { maxLength: 1024 * 1024 });
    expect(md.split('\n').filter((l) => l.startsWith('  # oci.api_key.'))).toHaveLength(2000);
    expect(md).not.toContain('shortened');
    expectBalanced(md);
  });

  it('shortens a long list of unmanaged keys when the diff alone does not make room, keeping the end', () => {
    const unmanaged = Array.from({ length: 3000 }, (_, i) => live(`stray-${i}`, { owner: `ocid1.user.oc1..s${i}` }));
    const p = planOf([], { unmanaged });
    const md = renderPlanMarkdown(p, { maxLength: 20_000, showCommand: 'keyplan plan' });
    expect(bytes(md)).toBeLessThanOrEqual(20_000);
    expect(md).toContain('**No changes.** Your keys match the configuration. See below: 3,000 unmanaged keys.');
    expect(md).toMatch(/\n- … and [\d,]+ more\n/);
    expect(md).toMatch(/of 3,000 unmanaged keys are not shown\.\n> Run `keyplan plan` to see the whole plan\./);
    expect(lastLine(md)).toBe('No changes. Your keys match the configuration.');
  });

  it('never passes even an absurdly small limit', () => {
    for (const max of [0, 10, 200]) expect(bytes(renderPlanMarkdown(big, { maxLength: max }))).toBeLessThanOrEqual(max);
  });
});

describe('renderPlanMarkdown: content', () => {
  const change = updateChange({ banner: 'intro\n```\nnot the end\n' }, { banner: 'intro\n````\nnot the end\n' });

  it('opens the diff with a fence longer than any backtick run in a value', () => {
    const md = renderPlanMarkdown(planOf([change]));
    expect(md).toContain('\n`````diff\n');
    expect(md).toContain('\n`````\n\n</details>');
    expectBalanced(md);
  });

  it('escapes Markdown and HTML in diagnostics and the title', () => {
    const md = renderPlanMarkdown(
      planOf([], { diagnostics: [{ severity: 'warning', code: 'KP_PLAN_W0001', message: '<img src=x> *bold* [link](x) `tick`' }] }),
      { title: 'plan for <prod> *now*' },
    );
    expect(md).toContain('### plan for &lt;prod&gt; \\*now\\*\n');
    expect(md).toContain('- **Warning** `KP_PLAN_W0001` &lt;img src=x&gt; \\*bold\\* \\[link\\](x) \\`tick\\`\n');
    expect(md).not.toContain('<img');
  });

  it('says nothing more than the headline when there is nothing to show', () => {
    expect(renderPlanMarkdown(planOf([]))).toBe('### keyplan plan\n\n**No changes.** Your keys match the configuration.\n');
  });
});
