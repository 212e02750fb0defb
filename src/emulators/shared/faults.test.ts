/** The shared fault dice: repeatable per seed, off at rate 0, a fair draw for the provider. */
import { describe, expect, it } from 'vitest';
import { delay, FaultInjector, seededRandom } from './faults.js';

const run = (rate: number, seed: number | undefined, n = 200): (number | undefined)[] => {
  const faults = new FaultInjector(rate, seed, (draw) => draw);
  return Array.from({ length: n }, () => faults.next());
};

describe('FaultInjector', () => {
  it('repeats the same faults for the same seed, and others for another', () => {
    expect(run(0.5, 42)).toEqual(run(0.5, 42));
    expect(run(0.5, 42)).not.toEqual(run(0.5, 43));
  });

  it('never fails at rate 0 and always at rate 1', () => {
    expect(run(0, 1).every((d) => d === undefined)).toBe(true);
    expect(run(1, 1).every((d) => d !== undefined)).toBe(true);
  });

  it('fails about `rate` of the requests, with draws spread over [0, 1)', () => {
    const draws = run(0.25, 7, 4_000).filter((d): d is number => d !== undefined);
    expect(draws.length / 4_000).toBeGreaterThan(0.2);
    expect(draws.length / 4_000).toBeLessThan(0.3);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    expect(draws.filter((d) => d < 0.5).length / draws.length).toBeGreaterThan(0.4);
    expect(draws.filter((d) => d < 0.5).length / draws.length).toBeLessThan(0.6);
  });

  it('draws twice per request at any rate, so the sequence depends only on the request count', () => {
    const random = seededRandom(9);
    const expected = Array.from({ length: 10 }, () => {
      const hit = random() < 0.3;
      const draw = random();
      return hit ? draw : undefined;
    });
    expect(run(0.3, 9, 10)).toEqual(expected);
  });
});

describe('delay', () => {
  it('resolves at once for 0 and after the time otherwise', async () => {
    const t0 = performance.now();
    await delay(0);
    await delay(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });
});
