/** The shared retry pieces: the doubling step and the abortable pause. */
import { describe, expect, it } from 'vitest';
import { doublingDelayMs, sleep } from './retry.js';

describe('doublingDelayMs', () => {
  it('starts at the base delay after the first attempt and doubles', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4].map((a) => doublingDelayMs(policy, a))).toEqual([100, 200, 400, 800]);
  });
});

describe('sleep', () => {
  it('waits about the time asked', async () => {
    const start = Date.now();
    await sleep(30);
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
  });

  it('resolves at once for no time, and rejects with the reason when aborted before or during', async () => {
    await expect(sleep(0)).resolves.toBeUndefined();
    await expect(sleep(-5)).resolves.toBeUndefined();
    await expect(sleep(10_000, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    await expect(sleep(0, AbortSignal.abort(new Error('even for zero')))).rejects.toThrow('even for zero');
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
