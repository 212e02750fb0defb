/** The shared server options and numeric checks, with the words every emulator uses. */
import { describe, expect, it } from 'vitest';
import { nonNegative, resolveServerOptions } from './options.js';

describe('resolveServerOptions', () => {
  it('fills in the defaults: a free port, memory only, no latency, no faults', () => {
    expect(resolveServerOptions({})).toEqual({ port: 0, dataDir: undefined, latencyMs: 0, failRate: 0, seed: undefined });
  });

  it('keeps what it is given', () => {
    const given = { port: 8080, dataDir: '/tmp/x', latencyMs: 5, failRate: 0.5, seed: 3 };
    expect(resolveServerOptions(given)).toEqual(given);
  });

  it.each([
    [{ failRate: 1.5 }, 'Expected `failRate` to be within 0..1, got `1.5`'],
    [{ failRate: -1 }, 'Expected `failRate` to be a finite number >= 0, got `-1`'],
    [{ port: -1 }, 'Expected `port` to be a finite number >= 0, got `-1`'],
    [{ latencyMs: Number.NaN }, 'Expected `latencyMs` to be a finite number >= 0, got `NaN`'],
  ])('refuses %j', (options, message) => {
    expect(() => resolveServerOptions(options)).toThrow(new TypeError(message));
  });

  it('refuses a fractional port only when asked to', () => {
    expect(resolveServerOptions({ port: 1.5 }).port).toBe(1.5);
    expect(() => resolveServerOptions({ port: 1.5 }, { integerPort: true })).toThrow('Expected `port` to be a finite integer >= 0, got `1.5`');
  });
});

describe('nonNegative', () => {
  it('returns the value or the fallback', () => {
    expect([nonNegative('n', 2, 9), nonNegative('n', undefined, 9)]).toEqual([2, 9]);
  });

  it('refuses infinity, and fractions when whole numbers are asked for', () => {
    expect(() => nonNegative('n', Infinity, 0)).toThrow('Expected `n` to be a finite number >= 0, got `Infinity`');
    expect(() => nonNegative('n', 0.5, 0, true)).toThrow('Expected `n` to be a finite integer >= 0, got `0.5`');
  });
});
