import { describe, expect, it } from 'vitest';
import { isMultiline, lineDiff, splitLines, unchangedText, wholeText } from '../../src/render/attribute-diff.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import type { PlannedChange } from '../../src/model/plan.js';
import { updateChange } from '../helpers/plan-fixtures.js';
import { planOf } from './golden-cases.js';

const numbered = (n: number, changed: Record<number, string> = {}): string =>
  Array.from({ length: n }, (_, i) => changed[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

describe('lineDiff', () => {
  it('keeps three unchanged lines around a change and folds the rest into counts', () => {
    expect(lineDiff(numbered(12), numbered(12, { 6: 'line six' }))).toEqual([
      { hidden: 2 },
      { marker: ' ', text: 'line 3' },
      { marker: ' ', text: 'line 4' },
      { marker: ' ', text: 'line 5' },
      { marker: '-', text: 'line 6' },
      { marker: '+', text: 'line six' },
      { marker: ' ', text: 'line 7' },
      { marker: ' ', text: 'line 8' },
      { marker: ' ', text: 'line 9' },
      { hidden: 3 },
    ]);
  });

  it('keeps the unchanged run between two close changes whole', () => {
    const out = lineDiff(numbered(9), numbered(9, { 2: 'two', 8: 'eight' }));
    expect(out.filter((l) => 'hidden' in l)).toEqual([]);
    expect(out.filter((l) => 'marker' in l && l.marker !== ' ')).toHaveLength(4);
  });

  it('treats CRLF like LF, and says when only the final line break changes', () => {
    expect(lineDiff('a\r\nb\r\n', 'a\nb\n')).toEqual([{ hidden: 2 }]);
    expect(lineDiff('a\nb', 'a\nb\n')).toEqual([{ hidden: 2 }, { note: 'a final line break is added' }]);
    expect(lineDiff('a\nb\n', 'a\nc')).toEqual([
      { marker: ' ', text: 'a' },
      { marker: '-', text: 'b' },
      { marker: '+', text: 'c' },
      { note: 'the final line break is removed' },
    ]);
  });

  it('writes control characters as escapes, so a value cannot drive the terminal', () => {
    const lines = splitLines('ok\n\u001b[31mred\u0007\n');
    expect(lines).toEqual(['ok', '\\u001b[31mred\\u0007']);
    expect(wholeText('+', 'x\u001b]0;title\u0007\n')).toEqual([{ marker: '+', text: 'x\\u001b]0;title\\u0007' }]);
  });

  it('recognises multi-line values only among strings', () => {
    expect([isMultiline('a\nb'), isMultiline('a\rb'), isMultiline('ab'), isMultiline(3), isMultiline(null)]).toEqual([true, true, false, false, false]);
    expect(unchangedText('a\nb\nc\n')).toEqual([{ hidden: 3 }]);
  });
});

describe('multi-line attributes in the human and Markdown plans', () => {
  const profile = (region: string): string => `[CI]\nuser=u\nfingerprint=aa:bb\ntenancy=t\nregion=${region}\nkey_file=ci.pem\n`;
  const change = updateChange({ profile: profile('eu-frankfurt-1'), note: 'same\ntext\n' }, { profile: profile('us-ashburn-1'), note: 'same\ntext\n' });

  it('shows a changed value as a heredoc line diff, and an unchanged one folded', () => {
    const text = renderPlanHuman(planOf([change]), { color: false });
    expect(text).toContain(`      ~ profile = <<-EOT
            # (1 unchanged line hidden)
            user=u
            fingerprint=aa:bb
            tenancy=t
          - region=eu-frankfurt-1
          + region=us-ashburn-1
            key_file=ci.pem
        EOT
`);
    expect(text).toContain(`        note    = <<-EOT
            # (2 unchanged lines hidden)
        EOT
`);
  });

  it('puts the diff markers at column 0 in Markdown, `~` as `!`', () => {
    const md = renderPlanMarkdown(planOf([change]));
    expect(md).toContain('!       profile = <<-EOT\n');
    expect(md).toContain('\n-           region=eu-frankfurt-1\n+           region=us-ashburn-1\n');
  });

  it('never diffs a sensitive multi-line value, only marks it', () => {
    const leaky: PlannedChange = {
      ...change,
      before: { ...change.before, private_key: 'OLD-KEY-LINE-1\nOLD-KEY-LINE-2\n' },
      after: { ...change.after, private_key: 'NEW-KEY-LINE-1\nNEW-KEY-LINE-2\n' },
      sensitive: ['private_key'],
    };
    for (const text of [renderPlanHuman(planOf([leaky]), { color: false }), renderPlanMarkdown(planOf([leaky]))]) {
      expect(text).not.toMatch(/KEY-LINE/);
      expect(text).toMatch(/private_key = \(sensitive value\)/);
    }
  });
});
