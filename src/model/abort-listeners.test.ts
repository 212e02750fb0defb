/** One listener per signal: many waiting calls, each told once, none after it stopped waiting. */
import { describe, expect, it } from 'vitest';
import { onAbort } from './abort-listeners.js';

describe('onAbort', () => {
  it('tells every waiting callback once, not those that stopped waiting, with one listener on the signal', () => {
    const controller = new AbortController();
    let added = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added++;
      add(...args);
    }) as AbortSignal['addEventListener'];
    const told: number[] = [];
    const stops = Array.from({ length: 50 }, (_, i) => onAbort(controller.signal, () => told.push(i)));
    stops.filter((_, i) => i % 2 === 1).forEach((stop) => stop());
    controller.abort();
    controller.abort();
    expect(added).toBe(1);
    expect(told).toEqual(Array.from({ length: 25 }, (_, i) => 2 * i));
  });
});
