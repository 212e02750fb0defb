/** Shared command plumbing: open the workspace for one command and always close it. */
import { Workspace, type EngineHost } from '../../engine.js';
import type { Reporter } from '../../report/reporter.js';
import { TerminalReporter } from '../terminal-reporter.js';
import type { CliIo } from '../io.js';
import { interruptSignal } from '../interrupt.js';

/** The engine host for a CLI run; engine events go to `reporter` (@default text on stderr). */
function hostFor(io: CliIo, signal: AbortSignal | undefined, reporter: Reporter | undefined): EngineHost {
  return { env: io.env, reporter: reporter ?? new TerminalReporter(io), ...(signal ? { signal } : {}) };
}

/** How a command opens its workspace. */
export interface WorkspaceOptions {
  /** Where engine events go. @default text on stderr */
  readonly reporter?: Reporter;
  /**
   * Ctrl-C stops the run gracefully (steps in flight finish and are recorded, the lock is
   * released) instead of killing the process: for commands that take the lock. @default false
   */
  readonly interruptible?: boolean;
  /** Check that every passphrase variable is set (only validate does). @default false */
  readonly checkEnv?: boolean;
  /** How long to wait for a state lock another run holds (`--lock-timeout`), in ms. @default 0 */
  readonly lockTimeoutMs?: number;
}

/** Opens the config `file`, runs `body`, and closes the workspace (adapters, sandbox) however `body` ends. */
export async function inWorkspace<T>(io: CliIo, file: string, body: (ws: Workspace) => Promise<T>, options: WorkspaceOptions = {}): Promise<T> {
  const interrupt = options.interruptible ? interruptSignal(io) : undefined;
  try {
    const ws = await Workspace.open(file, hostFor(io, interrupt?.signal, options.reporter), {
      checkEnv: options.checkEnv ?? false,
      lockTimeoutMs: options.lockTimeoutMs ?? 0,
    });
    try {
      return await body(ws);
    } finally {
      await ws.close();
    }
  } finally {
    interrupt?.dispose();
  }
}
