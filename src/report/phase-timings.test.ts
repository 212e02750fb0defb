import { describe, expect, it } from 'vitest';
import { formatPhaseTimings, markPhase, phaseTimings } from './phase-timings.js';

describe('phase timings', () => {
  it('closes each phase at its mark, adds a phase marked twice, and prints them in order', () => {
    markPhase('first');
    const busyUntil = Date.now() + 30;
    while (Date.now() < busyUntil); // CPU the second phase must count
    markPhase('second');
    markPhase('first');
    const [first, second] = phaseTimings();
    expect([first?.phase, second?.phase]).toEqual(['first', 'second']);
    expect(second?.cpuMs).toBeGreaterThanOrEqual(20);
    expect(second?.wallMs).toBeGreaterThanOrEqual(29);
    expect(phaseTimings()).toHaveLength(2);
    expect(
      formatPhaseTimings([
        { phase: 'config', cpuMs: 95.4, wallMs: 97.6 },
        { phase: 'plan', cpuMs: 30, wallMs: 31 },
      ]),
    ).toBe('timings (CPU/wall ms): config 95/98, plan 30/31');
  });
});
