/**
 * Runs the built keyplan CLI with stdout (or stderr) on a pipe whose reader
 * reads one chunk and closes it, as `keyplan plan | head -1` does. The pipe is shrunk to
 * one page (F_SETPIPE_SZ) so that any output longer than two pages is still being written
 * when the reader goes: the write then fails with EPIPE every time, not only when the
 * timing happens to be so. Node cannot size a pipe, so python3 runs the pipe.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

const RUNNER = `
import fcntl, json, os, subprocess, sys
on_stderr = sys.argv[1] == 'stderr'
r, w = os.pipe()
fcntl.fcntl(w, getattr(fcntl, 'F_SETPIPE_SZ', 1031), 4096)
p = subprocess.Popen(sys.argv[2:], env=json.loads(os.environ['CHILD_ENV']), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL if on_stderr else w, stderr=w if on_stderr else subprocess.PIPE)
os.close(w)
first = os.read(r, 4096)
os.close(r)
_, err = p.communicate(timeout=120)
print(json.dumps({'code': p.returncode, 'first': first.decode('utf-8', 'replace'), 'stderr': (err or b'').decode('utf-8', 'replace')}))
`;

/** What the closed-pipe run saw: the exit code, the one chunk read, and stderr (empty when stderr was the pipe). */
export interface ClosedPipeRun {
  readonly code: number;
  readonly first: string;
  readonly stderr: string;
}

/** Runs `keyplan ...args` in `cwd`, reading one chunk of its `stream` (stdout, else stderr, stdout then going nowhere) before closing the pipe. */
export function keyplanIntoClosedPipe(cwd: string, args: readonly string[], stream: 'stdout' | 'stderr' = 'stdout'): Promise<ClosedPipeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', RUNNER, stream, process.execPath, path.join(REPO_ROOT, 'bin', 'keyplan.js'), ...args], {
      cwd,
      // python3 may be a version manager's shim that needs the test's own environment; keyplan gets a clean one.
      env: { ...process.env, CHILD_ENV: JSON.stringify({ PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the pipe runner failed (exit ${code}): ${err}`));
      resolve(JSON.parse(out) as ClosedPipeRun);
    });
  });
}
