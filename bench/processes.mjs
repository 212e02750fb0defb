// The two processes a bench section runs: the emulators (`keyplan sandbox serve`, its own
// process so its CPU is not keyplan's) and a measured keyplan command.
import process from 'node:process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(REPO_ROOT, 'bin', 'keyplan.js');
const HOOK = path.join(REPO_ROOT, 'bench', 'usage-hook.cjs');

/** Starts `keyplan sandbox serve` on `dataDir`; resolves once it printed its URLs. */
export function startEmulators(dataDir, { latencyMs = 0 } = {}) {
  const args = [BIN, 'sandbox', 'serve', '--data', dataDir, ...(latencyMs > 0 ? ['--latency', String(latencyMs)] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d.toString();
      if (!err.includes('Sandbox running')) return;
      const urls = Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((line) => line.split('\t')),
      );
      resolve({
        urls,
        close: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
    child.stdout.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`keyplan sandbox serve exited with ${code}: ${err}`)));
  });
}

/** Runs `keyplan ...args` in `cwd`; resolves to its exit code, output, wall time, CPU time and peak RSS. */
export function measureKeyplan(cwd, args, env = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyplan-bench-usage-'));
  const usageFile = path.join(dir, 'usage.json');
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', HOOK, BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', KEYPLAN_BENCH_USAGE: usageFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let usage = { cpuMs: NaN, maxRssMb: NaN };
      try {
        usage = JSON.parse(readFileSync(usageFile, 'utf8'));
      } catch {
        // the child died before its exit hook ran; the figures stay NaN and the section fails
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, stderr, wallMs, ...usage });
    });
  });
}
