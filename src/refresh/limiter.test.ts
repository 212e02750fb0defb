/**
 * The block limiter around an adapter, on Ctrl-C: a call still waiting for a slot gives up
 * at once and never reaches the provider, while a call the provider already has finishes
 * and its answer is kept (a key half-created must be recorded).
 */
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, type ListRequest, type ProviderAdapter } from '../providers/contract.js';
import { limitedAdapter, providerQueue } from './limiter.js';

/** An adapter whose list calls wait for `release()`; `reached` lists the owners it was called for. */
function heldAdapter() {
  const reached: string[] = [];
  const waiting: (() => void)[] = [];
  const adapter: ProviderAdapter = {
    contractVersion: CONTRACT_VERSION,
    configure: async () => undefined,
    list: async (req: ListRequest) => {
      reached.push(req.owner);
      await new Promise<void>((resolve) => waiting.push(resolve));
      return { keys: [] };
    },
    create: async () => Promise.reject(new Error('not used')),
    delete: async () => undefined,
    close: async () => undefined,
  };
  return { adapter, reached, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

const list = (owner: string, signal: AbortSignal): ListRequest => ({ kind: 'fake.token', owner, signal });

describe('limitedAdapter', () => {
  it('rejects a call still waiting for a slot at once when the run is interrupted, and keeps the running call', async () => {
    const { adapter, reached, release } = heldAdapter();
    const limited = limitedAdapter(adapter, providerQueue({ maxConcurrency: 1 }));
    const controller = new AbortController();
    const running = limited.list(list('first', controller.signal));
    const queued = limited.list(list('second', controller.signal));
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).toEqual(['first']);
    controller.abort(new Error('interrupted'));
    await expect(queued).rejects.toThrow('interrupted');
    release();
    await expect(running).resolves.toEqual({ keys: [] });
    expect(reached).toEqual(['first']);
  });

  it('refuses a call whose run was interrupted before it was queued, without calling the provider', async () => {
    const { adapter, reached } = heldAdapter();
    const limited = limitedAdapter(adapter, providerQueue({ maxConcurrency: 4 }));
    await expect(limited.list(list('late', AbortSignal.abort(new Error('interrupted'))))).rejects.toThrow('interrupted');
    expect(reached).toEqual([]);
  });

  it('drops the interrupted calls from a rate-limited queue at once, so none holds the process open for its turn', async () => {
    const { adapter, reached, release } = heldAdapter();
    const queue = providerQueue({ maxConcurrency: 1, requestsPerSecond: 0.5 });
    const limited = limitedAdapter(adapter, queue);
    const controller = new AbortController();
    const running = limited.list(list('first', controller.signal));
    const queued = ['second', 'third'].map((owner) => limited.list(list(owner, controller.signal)));
    expect(queue.size).toBe(2);
    controller.abort(new Error('interrupted'));
    expect(queue.size).toBe(0);
    await Promise.all(queued.map((call) => expect(call).rejects.toThrow('interrupted')));
    release();
    await expect(running).resolves.toEqual({ keys: [] });
    expect(reached).toEqual(['first']);
  });

  it("still runs another run's queued call after one run is interrupted, in its turn", async () => {
    const { adapter, reached, release } = heldAdapter();
    const queue = providerQueue({ maxConcurrency: 1 });
    const limited = limitedAdapter(adapter, queue);
    const interrupted = new AbortController();
    const running = limited.list(list('first', interrupted.signal));
    const abandoned = limited.list(list('second', interrupted.signal));
    const other = limited.list(list('other', new AbortController().signal));
    interrupted.abort(new Error('interrupted'));
    await expect(abandoned).rejects.toThrow('interrupted');
    release();
    await expect(running).resolves.toEqual({ keys: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).toEqual(['first', 'other']);
    release();
    await expect(other).resolves.toEqual({ keys: [] });
    expect(queue.size + queue.pending).toBe(0);
  });

  it('offers only the optional calls the adapter has', () => {
    const limited = limitedAdapter(heldAdapter().adapter, providerQueue({ maxConcurrency: 1, requestsPerSecond: 2.5 }));
    expect([limited.update, limited.verify, limited.describe, limited.setActive]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
