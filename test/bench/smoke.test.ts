/**
 * A smoke run of the benchmark harness (`npm run bench -- --smoke`): 20 keys, every section
 * once against the built CLI, targets not checked. It keeps the harness from rotting; the
 * figures themselves are checked by the full bench, not by timed unit tests.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers/cli.js';

interface BenchRow {
  readonly section: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly pass?: boolean;
}

function runBench(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench', 'run.mjs'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('npm run bench --smoke', () => {
  it('runs every section against the built CLI and writes a table and JSON of measured figures', { timeout: 120_000 }, async () => {
    const out = path.join(tempDir('keyplan-bench-smoke-'), 'results.json');
    const run = await runBench(['--smoke', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { smoke, rows } = JSON.parse(readFileSync(out, 'utf8')) as { smoke: boolean; rows: BenchRow[] };
    expect(smoke).toBe(true);
    expect(new Set(rows.map((r) => r.section))).toEqual(new Set(['plan', 'refresh', 'apply', 'oci']));
    for (const row of rows) {
      expect(Number.isFinite(row.value), row.name).toBe(true);
      expect(row.pass, `${row.name}: a smoke run checks no target`).toBeUndefined();
      expect(run.stdout).toContain(row.name);
    }
    // CPU and RSS are the keyplan process's own, reported by its exit hook.
    const cpu = rows.find((r) => r.name === 'no-change plan, 20 keys: CPU');
    const rss = rows.find((r) => r.name === 'no-change plan, 20 keys: peak RSS');
    expect(cpu?.value).toBeGreaterThan(0);
    expect(rss?.value).toBeGreaterThan(10);
  });

  it('runs one section with --only and refuses an unknown one', { timeout: 60_000 }, async () => {
    const out = path.join(tempDir('keyplan-bench-smoke-'), 'results.json');
    const run = await runBench(['--smoke', '--only', 'oci', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { rows } = JSON.parse(readFileSync(out, 'utf8')) as { rows: BenchRow[] };
    // Only the OCI section ran (it reports several figures: creates, the keygen floor, their ratio).
    expect(rows.length).toBeGreaterThan(0);
    expect([...new Set(rows.map((r) => r.section))]).toEqual(['oci']);
    const bad = await runBench(['--only', 'plans']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown section "plans"');
  });
});
