/**
 * Runs the built keyplan CLI on a real pseudo-terminal (stdin, stdout and stderr are the
 * terminal, which is the child's controlling terminal, so Ctrl-C typed there is what a
 * person's Ctrl-C is), waits for a text to appear, then types `keys`. python3's pty module
 * does the terminal, so the project needs no native dependency.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

const RUNNER = `
import json, os, pty, select, signal, sys, termios, time
wait_for, keys = sys.argv[1].encode(), sys.argv[2].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execve(sys.argv[3], sys.argv[3:], json.loads(os.environ['CHILD_ENV']))
out, typed, deadline = b'', False, time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.5)
    if not ready:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break  # EIO: the child exited and the terminal closed
    if not data:
        break
    out += data
    if not typed and wait_for in out:
        os.write(fd, keys)
        typed = True
else:
    os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
lflag = termios.tcgetattr(fd)[3]
cooked = bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'typed': typed, 'cooked': cooked, 'output': out.decode('utf-8', 'replace')}))
`;

/** What the terminal showed (stdout and stderr together, with the terminal's \\r\\n line ends) and how the run ended. */
export interface PtyRun {
  readonly code: number;
  /** Whether `waitFor` appeared, so `keys` were typed. */
  readonly typed: boolean;
  /** Whether the terminal was left in its usual line mode with echo (not raw) after keyplan exited. */
  readonly cooked: boolean;
  readonly output: string;
}

/** Runs `keyplan ...args` in `cwd` on a terminal (with `extraEnv`); types `keys` once `waitFor` appears. Gives up after 60 s. */
export function keyplanOnTerminal(cwd: string, args: readonly string[], waitFor: string, keys: string, extraEnv: Record<string, string> = {}): Promise<PtyRun> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', TERM: 'xterm', ...extraEnv };
    const child = spawn('python3', ['-c', RUNNER, waitFor, keys, process.execPath, path.join(REPO_ROOT, 'bin', 'keyplan.js'), ...args], {
      cwd,
      // python3 may be a version manager's shim that needs the test's own environment; keyplan gets a clean one.
      env: { ...process.env, CHILD_ENV: JSON.stringify(env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the terminal runner failed (exit ${code}): ${err}`));
      resolve(JSON.parse(out) as PtyRun);
    });
  });
}
