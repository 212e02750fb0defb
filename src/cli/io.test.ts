import { describe, expect, it } from 'vitest';
import { colorWanted } from './io.js';

describe('colorWanted', () => {
  it('follows FORCE_COLOR first, then NO_COLOR and TERM=dumb, then the terminal', () => {
    expect(colorWanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '3', NO_COLOR: '1' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted({ TERM: 'dumb' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorWanted({}, false)).toBe(false);
  });
});
