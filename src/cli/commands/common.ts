/** Shared command plumbing: open the workspace, hold the state lock, always clean up. */
import { Workspace, type EngineHost } from '../../engine.js';
import type { KeyplanState } from '../../model/state.js';
import type { Reporter } from '../../report/reporter.js';
import { TerminalReporter } from '../terminal-reporter.js';
import type { CliIo } from '../io.js';
import { interruptSignal } from '../interrupt.js';

/** The engine host for a CLI run; engine events go to `reporter` (@default text on stderr). */
export function hostFor(io: CliIo, signal?: AbortSignal, reporter?: Reporter): EngineHost {
  return { env: io.env, reporter: reporter ?? new TerminalReporter(io), ...(signal ? { signal } : {}) };
}

/**
 * Opens the config, takes the state lock, reads state, runs `body`, and releases everything.
 * Passphrase variables are not checked here: plan warns and apply refuses per change.
 */
export async function withLockedState<T>(
  io: CliIo,
  file: string,
  operation: string,
  body: (ws: Workspace, state: KeyplanState) => Promise<T>,
  reporter?: Reporter,
): Promise<T> {
  const interrupt = interruptSignal(io);
  try {
    const ws = await Workspace.open(file, hostFor(io, interrupt.signal, reporter), { checkEnv: false });
    try {
      const lock = await ws.store.lock(operation);
      try {
        return await body(ws, await ws.store.read());
      } finally {
        await ws.store.unlock(lock.id);
      }
    } finally {
      await ws.close();
    }
  } finally {
    interrupt.dispose();
  }
}
