import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOf } from './iso-time.js';

const two = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

describe('isoOf', () => {
  it('gives what toISOString gives for every text Date.parse reads, in range or not', () => {
    // Fields a little past their ranges too: day 29-31 of February, hour 24, minute 60.
    const text = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(24), two(60), two(60), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`);
    let read = 0;
    fc.assert(
      fc.property(text, (t) => {
        const ms = Date.parse(t);
        if (Number.isNaN(ms)) return;
        read++;
        expect(isoOf(t, ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    expect(read).toBeGreaterThan(1000);
  });

  it('formats the texts that name another form of a time', () => {
    for (const t of ['2026-02-30T00:00:00.000Z', '2026-12-03T24:00:00.000Z', '2026-12-03T10:00:00Z', '2026-12-03T10:00:00.000+01:00']) {
      expect(isoOf(t, Date.parse(t))).toBe(new Date(Date.parse(t)).toISOString());
    }
    expect(isoOf('2026-02-30T00:00:00.000Z', Date.parse('2026-02-30T00:00:00.000Z'))).toBe('2026-03-02T00:00:00.000Z');
  });
});
