/** The shared settings reader and problem reporting: typed values, every problem collected, one wording. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/errors.js';
import { settingsConfigError, settingsDiagnostics, usableSettings } from './settings-problems.js';
import { settingsReader } from './settings-reader.js';

describe('settingsReader', () => {
  it('reads trimmed strings and treats null as unset', () => {
    const r = settingsReader({ a: '  x ', b: null });
    expect(r.str('a')).toBe('x');
    expect(r.str('b')).toBeUndefined();
    expect(r.str('missing')).toBeUndefined();
    expect(r.problems).toEqual([]);
  });

  it('collects every problem in reading order instead of stopping at the first', () => {
    const r = settingsReader({ s: 3, e: '  ', mode: 'fast', env: '1X', n: 2.5, m: 11 });
    expect(r.str('s')).toBeUndefined();
    expect(r.str('e')).toBeUndefined();
    expect(r.oneOf('mode', ['slow', 'safe'], 'safe')).toBe('safe');
    // An invalid name is still returned, so a caller does not also call it missing.
    expect(r.envName('env')).toBe('1X');
    expect(r.int('n', 1, 10)).toBeUndefined();
    expect(r.int('m', 1, 10)).toBeUndefined();
    r.problem('other', 'a rule across settings');
    expect(r.problems).toEqual([
      ['s', 'expected a non-empty string, got 3'],
      ['e', 'expected a non-empty string, got "  "'],
      ['mode', 'expected one of slow, safe, got "fast"'],
      ['env', 'expected an environment variable name, got "1X"'],
      ['n', 'expected an integer from 1 to 10, got 2.5'],
      ['m', 'expected an integer from 1 to 10, got 11'],
      ['other', 'a rule across settings'],
    ]);
  });

  it('accepts good values without a problem', () => {
    const r = settingsReader({ mode: 'slow', env: '_MY_VAR2', n: 10 });
    expect(r.oneOf('mode', ['slow', 'safe'], 'safe')).toBe('slow');
    expect(r.oneOf('unset', ['slow', 'safe'], 'safe')).toBe('safe');
    expect(r.envName('env')).toBe('_MY_VAR2');
    expect(r.int('n', 1, 10)).toBe(10);
    expect(r.problems).toEqual([]);
  });
});

describe('settings problems', () => {
  const problems = [
    ['region', 'bad'],
    ['endpoint', 'worse'],
  ] as const;

  it('become diagnostics pointing at the setting', () => {
    expect(settingsDiagnostics('p', problems, 'KP_X_E0001')).toEqual([
      { severity: 'error', code: 'KP_X_E0001', path: 'providers.p.region', message: 'bad' },
      { severity: 'error', code: 'KP_X_E0001', path: 'providers.p.endpoint', message: 'worse' },
    ]);
  });

  it('become one ConfigError naming them all', () => {
    const err = settingsConfigError('p', problems, 'KP_X_E0001');
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('provider "p": region: bad; endpoint: worse');
    expect(err.code).toBe('KP_X_E0001');
    expect(err.diagnostics).toHaveLength(2);
  });

  it('let usable settings through and stop unusable ones', () => {
    expect(usableSettings('p', { settings: { a: 1 }, problems: [] }, 'KP_X_E0001')).toEqual({ a: 1 });
    expect(() => usableSettings('p', { settings: { a: 1 }, problems }, 'KP_X_E0001')).toThrow('provider "p": region: bad; endpoint: worse');
  });
});
