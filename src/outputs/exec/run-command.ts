/**
 * Running one command of an `exec` output: argv spawned without a shell, the document on
 * its stdin, its output collected (bounded) for the caller to scrub, and the whole process
 * group killed on timeout or interrupt, so a script's own children cannot outlive it.
 */
import { spawn } from 'node:child_process';

/** How a command ended. */
export type CommandOutcome =
  | { readonly status: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly status: 'signalled'; readonly signal: string; readonly stdout: string; readonly stderr: string }
  | { readonly status: 'timed-out'; readonly stdout: string; readonly stderr: string }
  | { readonly status: 'interrupted'; readonly stdout: string; readonly stderr: string }
  | { readonly status: 'spawn-failed'; readonly reason: string };

/** What to run and how. */
export interface CommandRequest {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Written to stdin, which is then closed. */
  readonly input: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

// Enough for any diagnostic; a command printing more is cut, never buffered without bound.
const MAX_CAPTURE = 64 * 1024;
// After SIGTERM, time the group gets to exit before SIGKILL.
const KILL_GRACE_MS = 2_000;
// After the command exited, time its output pipes get to close.
const PIPE_GRACE_MS = 1_000;

// Process groups of commands still running. The groups are detached, so a terminal's Ctrl-C
// does not reach them (the first interrupt lets steps in flight finish); when keyplan exits
// at once on the second one, they are killed rather than left running unwatched.
const running = new Set<number>();
let exitHookInstalled = false;

function track(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of running) killGroup(group, 'SIGKILL');
    });
  }
  running.add(pid);
}

/** Runs the command to its end; never throws (every failure is an outcome). */
export function runCommand(req: CommandRequest): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = req.argv;
    if (file === undefined) {
      resolve({ status: 'spawn-failed', reason: 'the command is empty' });
      return;
    }
    if (req.signal?.aborted === true) {
      resolve({ status: 'interrupted', stdout: '', stderr: '' });
      return;
    }
    // detached: the command leads its own process group, so killing -pid reaches its children too.
    const child = spawn(file, args, { cwd: req.cwd, env: req.env, shell: false, detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const pid = child.pid;
    if (pid !== undefined) track(pid);
    const stdout = capture(child.stdout);
    const stderr = capture(child.stderr);
    let ending: 'timed-out' | 'interrupted' | undefined;
    let settled = false;
    const settle = (outcome: CommandOutcome): void => {
      if (settled) return;
      settled = true;
      if (pid !== undefined) running.delete(pid);
      clearTimeout(timer);
      clearTimeout(killTimer);
      req.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timed-out' | 'interrupted'): void => {
      if (ending !== undefined) return;
      ending = why;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timed-out'), req.timeoutMs);
    const onAbort = (): void => stop('interrupted');
    req.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      settle({ status: 'spawn-failed', reason: error.code === 'ENOENT' ? `${file} was not found` : error.message });
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      const out = { stdout: stdout(), stderr: stderr() };
      if (ending !== undefined) settle({ status: ending, ...out });
      else if (code !== null) settle({ status: 'exited', code, ...out });
      else settle({ status: 'signalled', signal: signal ?? 'unknown', ...out });
    };
    // 'close' waits for the pipes, so the output is complete. When the command has exited
    // but a child it left behind keeps them open, its exit status counts and the group goes.
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        if (settled) return;
        killGroup(child.pid, 'SIGKILL');
        finish(code, signal);
      }, PIPE_GRACE_MS).unref();
    });
    // A command that exits without reading stdin closes the pipe; that is its business, not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(req.input);
  });
}

function capture(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size >= MAX_CAPTURE) return;
    chunks.push(chunk.subarray(0, MAX_CAPTURE - size));
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
