import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { appendStepSummary, STEP_SUMMARY_MIN_BYTES } from './step-summary.js';

/** A stand-in renderer that, like the Markdown one, fits its text to `maxLength` characters. */
const render =
  (full: string) =>
  (maxLength: number): string =>
    full.length <= maxLength ? full : `${full.slice(0, maxLength - 20)}\n…(truncated)\n`;

describe('appendStepSummary', () => {
  it('creates the file, then appends after what earlier steps wrote', async () => {
    const file = path.join(tempDir('keyplan-summary-'), 'summary.md');
    expect(await appendStepSummary(file, render('### one\n'))).toEqual({ written: true, bytes: 8 });
    expect(await appendStepSummary(file, render('### two\n'))).toEqual({ written: true, bytes: 9 });
    expect(readFileSync(file, 'utf8')).toBe('### one\n\n### two\n');
  });

  it('never grows the file past the limit, shrinking the text to the room left', async () => {
    const file = path.join(tempDir('keyplan-summary-'), 'summary.md');
    const limit = 10_000;
    writeFileSync(file, 'x'.repeat(6_000));
    const result = await appendStepSummary(file, render('é'.repeat(9_000)), limit);
    expect(result.written).toBe(true);
    expect(statSync(file).size).toBeLessThanOrEqual(limit);
    expect(readFileSync(file, 'utf8')).toContain('…(truncated)');
  });

  it('writes nothing when too little room is left, and says why', async () => {
    const file = path.join(tempDir('keyplan-summary-'), 'summary.md');
    const limit = 10_000;
    writeFileSync(file, 'x'.repeat(limit - STEP_SUMMARY_MIN_BYTES + 10));
    const result = await appendStepSummary(file, render('### plan\n'), limit);
    expect(result).toEqual({ written: false, why: `it already holds ${limit - STEP_SUMMARY_MIN_BYTES + 10} bytes of GitHub's ${limit}-byte limit` });
    expect(statSync(file).size).toBe(limit - STEP_SUMMARY_MIN_BYTES + 10);
  });
});
