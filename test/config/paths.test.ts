import { describe, expect, it } from 'vitest';
import { formatPath, isWithin, pointerToPath } from '../../src/config/paths.js';
import { suggest } from '../../src/config/suggest.js';

describe('paths', () => {
  it('prints dot paths with list indexes and quotes odd mapping keys', () => {
    expect(formatPath(['keys', 2, 'outputs', 0, 'path'])).toBe('keys[2].outputs[0].path');
    expect(formatPath(['providers', 'a.b', 'type'])).toBe('providers["a.b"].type');
    expect(formatPath([])).toBe('');
  });

  it('reads JSON pointers, numbering only list positions', () => {
    const data = { keys: [{ user: 'x' }], providers: { '0': { 'a/b': 1 } } };
    expect(pointerToPath('/keys/0/user', data)).toEqual(['keys', 0, 'user']);
    expect(pointerToPath('/providers/0/a~1b', data)).toEqual(['providers', '0', 'a/b']);
  });

  it('tells whether a path lies at or under another', () => {
    expect(isWithin(['keys', 1, 'user'], ['keys', 1])).toBe(true);
    expect(isWithin(['keys', 1], ['keys', 1])).toBe(true);
    expect(isWithin(['keys', 10], ['keys', 1])).toBe(false);
  });
});

describe('suggest', () => {
  it('finds likely typos and ignores distant words', () => {
    expect(suggest('usr', ['name', 'user', 'bits'])).toBe('user');
    expect(suggest('uesr', ['name', 'user'])).toBe('user');
    expect(suggest('depend_on', ['depends_on', 'outputs'])).toBe('depends_on');
    expect(suggest('zz', ['name', 'user'])).toBeUndefined();
    expect(suggest('totally', ['name', 'user'])).toBeUndefined();
  });
});
