/**
 * A state lock held by "another run" (a second store instance the test owns), released
 * 300 ms after the command under test says it is waiting for it, wherever loading the
 * config left the clock. For the `--lock-timeout` tests of every backend.
 */
import { onTestFinished } from 'vitest';
import type { LockInfo, StateStore } from '../../src/state/store.js';

/** The lock and the hook that releases it; pass `onOutput` to runMain. */
export interface HeldLock {
  readonly held: LockInfo;
  /** When the command said it was waiting (epoch ms; 0: it never did). */
  readonly waitStarted: number;
  /** Watches the command's output (stdout and stderr) for its waiting message. */
  readonly onOutput: (chunk: string) => void;
}

/** Takes `store`'s lock for operation `apply`; it is released 300 ms after the first waiting message. */
export async function holdLock(store: StateStore, releaseAfterMs = 300): Promise<HeldLock> {
  const held = await store.lock('apply');
  let release: NodeJS.Timeout | undefined;
  onTestFinished(() => clearTimeout(release));
  let waitStarted = 0;
  return {
    held,
    get waitStarted() {
      return waitStarted;
    },
    onOutput: (chunk) => {
      if (waitStarted !== 0 || !chunk.includes('Waiting for the state lock')) return;
      waitStarted = Date.now();
      release = setTimeout(() => void store.unlock(held.id), releaseAfterMs);
    },
  };
}
