/** The wait-for-ACTIVE loop, with a scripted poll instead of a server. */
import type * as identity from 'oci-identity';
import { describe, expect, it } from 'vitest';
import { waitUntilActive } from './wait-active.js';

type ApiKey = identity.models.ApiKey;
const key = (state: string): ApiKey => ({ fingerprint: 'aa', lifecycleState: state as ApiKey['lifecycleState'] });
const opts = { timeoutMs: 1_000, pollIntervalMs: 1, maxPollIntervalMs: 4 };

function script(...answers: (ApiKey | undefined)[]): { poll: () => Promise<ApiKey | undefined>; calls: () => number } {
  let n = 0;
  return { poll: async () => answers[Math.min(n++, answers.length - 1)], calls: () => n };
}

describe('waitUntilActive', () => {
  it('returns an ACTIVE upload answer without polling', async () => {
    const s = script();
    expect(await waitUntilActive(key('ACTIVE'), s.poll, opts)).toEqual({ ok: true, key: key('ACTIVE') });
    expect(s.calls()).toBe(0);
  });

  it('polls while CREATING', async () => {
    const s = script(key('CREATING'), key('CREATING'), key('ACTIVE'));
    expect((await waitUntilActive(key('CREATING'), s.poll, opts)).ok).toBe(true);
    expect(s.calls()).toBe(3);
  });

  it('polls when the upload answer has no state', async () => {
    const s = script(key('ACTIVE'));
    expect((await waitUntilActive({ fingerprint: 'aa' }, s.poll, opts)).ok).toBe(true);
  });

  it('stops on a key that vanished or reached another state', async () => {
    expect(await waitUntilActive(key('CREATING'), script(undefined).poll, opts)).toEqual({
      ok: false,
      why: 'disappeared before it became ACTIVE',
      retryable: false,
    });
    expect(await waitUntilActive(key('CREATING'), script(key('INACTIVE')).poll, opts)).toEqual({
      ok: false,
      why: 'is INACTIVE instead of ACTIVE',
      retryable: false,
    });
  });

  it('gives up at the deadline with a retryable outcome', async () => {
    const s = script(key('CREATING'));
    const res = await waitUntilActive(key('CREATING'), s.poll, { ...opts, timeoutMs: 30 });
    expect(res).toEqual({ ok: false, why: 'was still CREATING after 0 s', retryable: true });
    expect(s.calls()).toBeGreaterThan(1);
  });

  it('rejects with the abort reason when the signal fires', async () => {
    const ctl = new AbortController();
    const pending = waitUntilActive(key('CREATING'), script(key('CREATING')).poll, {
      ...opts,
      pollIntervalMs: 10_000,
      maxPollIntervalMs: 10_000,
      timeoutMs: 60_000,
      signal: ctl.signal,
    });
    ctl.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
