// The bench's sections. Each builds a fresh workspace in a temp folder, starts the
// emulators in their own process, runs keyplan as a measured child process and returns
// rows: a figure, its unit, and the target it is checked against (when one applies).
import process from 'node:process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPair, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { measureKeyplan, startEmulators } from './processes.mjs';
import { bootstrap, configText, dataosToken, seedWorkspace, writeOciConfig } from './seed.mjs';
import { DATAOS_LIMITS } from '../dist/providers/dataos/settings.js';
import { OUTSCALE_LIMITS } from '../dist/providers/outscale/settings.js';

/** A workspace: seeded stores and state, the emulators running, and the environment keyplan needs. */
async function workspace({ count, seeded, perUser, kinds, latencyMs = 0, statePath = 'state.json', extraEnv = {} }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyplan-bench-'));
  const boot = bootstrap();
  const dataDir = path.join(dir, 'emulators');
  seedWorkspace({ dataDir, statePath: seeded ? path.join(dir, 'state.json') : undefined, count: seeded ? count : 0, boot, perUser, kinds });
  let emulators;
  const start = async (latency) => {
    emulators = await startEmulators(dataDir, { latencyMs: latency });
    if (kinds === 'oci') writeOciConfig(dir, dataDir);
    writeFileSync(path.join(dir, 'keys.yaml'), configText({ count, urls: emulators.urls, statePath, perUser, kinds }));
  };
  await start(latencyMs);
  const env = {
    OSC_ACCESS_KEY: boot.oscAccessKey,
    OSC_SECRET_KEY: boot.oscSecretKey,
    KEYPLAN_BENCH_DATAOS_TOKEN: dataosToken(boot),
    // Encrypts the OCI private keys keyplan delivers (a random one per run; never printed).
    KEYPLAN_BENCH_PASSPHRASE: randomBytes(16).toString('hex'),
    ...extraEnv,
  };
  return {
    dir,
    run: (args, extraEnv = {}) => measureKeyplan(dir, args, { ...env, ...extraEnv }),
    /** Restarts the emulators on the same data with another latency. */
    restart: async (latency) => {
      await emulators.close();
      await start(latency);
    },
    close: async () => {
      await emulators.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function expectExit(result, code, what) {
  if (result.code !== code) throw new Error(`${what}: keyplan exited with ${result.code}, expected ${code}\n${result.stderr.slice(-2000)}`);
}

/** (a) A no-change plan of each size, mixed kinds, no latency: wall, CPU and peak RSS. */
export async function planSection({ sizes, targets }) {
  const rows = [];
  for (const n of sizes) {
    const ws = await workspace({ count: n, seeded: true, perUser: 5, kinds: 'mixed' });
    try {
      const runs = [];
      for (let i = 0; i < repeats(targets); i++) {
        const run = await ws.run(['plan', '--detailed-exitcode']);
        expectExit(run, 0, `no-change plan of ${n} keys`);
        runs.push(run);
      }
      const r = { wallMs: median(runs.map((x) => x.wallMs)), cpuMs: median(runs.map((x) => x.cpuMs)), maxRssMb: median(runs.map((x) => x.maxRssMb)) };
      const t = targets ? PLAN_TARGETS[n] : undefined;
      rows.push({ section: 'plan', name: `no-change plan, ${n} keys: wall`, value: r.wallMs, unit: 'ms' });
      rows.push({
        section: 'plan',
        name: `no-change plan, ${n} keys: CPU`,
        value: r.cpuMs,
        unit: 'ms',
        note: `median of ${runs.length} runs`,
        ...(t?.cpuMs ? { target: t.cpuMs, op: '<=' } : {}),
      });
      rows.push({
        section: 'plan',
        name: `no-change plan, ${n} keys: peak RSS`,
        value: r.maxRssMb,
        unit: 'MB',
        ...(t?.rssMb ? { target: t.rssMb, op: '<=' } : {}),
      });
    } finally {
      await ws.close();
    }
  }
  return rows;
}

/**
 * Measured runs per figure checked against a target; the table shows their median. Wall and
 * CPU time of one run on a shared 2-core machine vary by a third from run to run.
 */
const RUNS = 3;
const repeats = (targets) => (targets ? RUNS : 1);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Targets of issue 14 by plan size. */
const PLAN_TARGETS = { 2000: { cpuMs: 600, rssMb: 100 }, 10000: { cpuMs: 2500 } };

/** (b) Refresh of `keys` keys over `users` users at `latencyMs` per emulator response: keyplan's own refresh time against the bound. */
export async function refreshSection({ keys, users, latencyMs, targets }) {
  const perUser = Math.max(1, Math.round(keys / users));
  const ws = await workspace({ count: keys, seeded: true, perUser, kinds: 'mixed', latencyMs });
  try {
    // The emulators stand for an API that is always up: one plan first, unmeasured, so they
    // answer the measured one with warm code rather than with their own JIT warm-up.
    await ws.run(['plan', '--detailed-exitcode']);
    // KEYPLAN_TIMINGS=1: refresh reports its own wall time, first list call to last answer,
    // so start-up, config, state and planning (the same at any latency) are not in it.
    const timedRuns = [];
    for (let i = 0; i < repeats(targets); i++) {
      const run = await ws.run(['plan', '--detailed-exitcode'], { KEYPLAN_TIMINGS: '1' });
      expectExit(run, 0, `refresh of ${keys} keys`);
      timedRuns.push({ run, timed: refreshTiming(run.stderr) });
    }
    // The run whose refresh took the median time, with its own CPU and plan figures.
    timedRuns.sort((a, b) => a.timed.ms - b.timed.ms);
    const { run: r, timed } = timedRuns[Math.floor(timedRuns.length / 2)];
    // The providers are read side by side, each with its own max_concurrency (the defaults:
    // the bench's keys.yaml sets none, and an emulator on 127.0.0.1 gets no rate limit).
    const perProvider = Object.entries(timed.calls).map(([p, n]) => ({ p, n, c: BENCH_PROVIDER_CONCURRENCY[p] }));
    const bound = Math.max(...perProvider.map(({ n, c }) => Math.ceil(n / c) * latencyMs));
    const how = perProvider.map(({ p, n, c }) => `ceil(${n} ${p} / ${c})`).join(', ');
    await ws.restart(0);
    await ws.run(['plan', '--detailed-exitcode']);
    const floor = await ws.run(['plan', '--detailed-exitcode'], { KEYPLAN_TIMINGS: '1' });
    expectExit(floor, 0, `refresh of ${keys} keys without latency`);
    const cpuOnly = refreshTiming(floor.stderr);
    return [
      { section: 'refresh', name: `refresh bound: max(${how}) x ${latencyMs} ms`, value: bound, unit: 'ms' },
      {
        section: 'refresh',
        name: `refresh of ${keys} keys / ${users} users at ${latencyMs} ms (${timed.listCalls} list calls)`,
        value: timed.ms,
        unit: 'ms',
        note: `${(timed.ms / bound).toFixed(2)}x the bound, median of ${timedRuns.length} runs; plan wall ${r.wallMs.toFixed(0)} ms, CPU ${r.cpuMs.toFixed(0)} ms`,
        ...(targets ? { target: 1.2 * bound, op: '<=' } : {}),
      },
      {
        section: 'refresh',
        name: `keyplan's CPU during that refresh, per list call`,
        value: timed.cpuMs / timed.listCalls,
        unit: 'ms',
        // keyplan's JavaScript runs on one thread: above bound / list calls of CPU per call, the
        // refresh is CPU-bound and no concurrency setting brings it to the bound.
        note: `${timed.cpuMs} ms in all; CPU-bound above ${(bound / timed.listCalls).toFixed(2)} ms per call`,
      },
      {
        section: 'refresh',
        name: `refresh of the same at 0 ms latency (no waiting)`,
        value: cpuOnly.ms,
        unit: 'ms',
        note: `CPU ${cpuOnly.cpuMs} ms`,
      },
    ];
  } finally {
    await ws.close();
  }
}

/** max_concurrency of the bench's provider blocks (keys.yaml leaves the vendors' defaults). */
const BENCH_PROVIDER_CONCURRENCY = { osc: OUTSCALE_LIMITS.maxConcurrency, dataos: DATAOS_LIMITS.maxConcurrency };

/** The `refresh: N list calls in T ms, C ms CPU (osc: a, dataos: b)` line KEYPLAN_TIMINGS=1 prints. */
function refreshTiming(stderr) {
  const m = /refresh: (\d+) list calls in (\d+) ms, (\d+) ms CPU \(([^)]*)\)/.exec(stderr);
  if (m === null) throw new Error(`keyplan printed no refresh timing (KEYPLAN_TIMINGS=1):\n${stderr.slice(-2000)}`);
  const calls = Object.fromEntries(m[4].split(', ').map((part) => [part.split(': ')[0], Number(part.split(': ')[1])]));
  return { listCalls: Number(m[1]), ms: Number(m[2]), cpuMs: Number(m[3]), calls };
}

/**
 * (c) Apply of `n` OUTSCALE creates for each size, each on a fresh state and a fresh emulator
 * store: ms per key. Each size runs end to end: a plan (exit 2: changes), the apply, and a
 * plan again that must find nothing to do (exit 0), with their wall time and peak RSS.
 */
export async function applySection({ sizes, targets }) {
  const rows = [];
  const perKey = new Map();
  for (const n of sizes) {
    const ws = await workspace({ count: n, seeded: false, perUser: 5, kinds: 'outscale' });
    try {
      const before = await ws.run(['plan', '--detailed-exitcode']);
      expectExit(before, 2, `plan of ${n} creates`);
      const r = await ws.run(['apply', '--auto-approve']);
      expectExit(r, 0, `apply of ${n} creates`);
      const after = await ws.run(['plan', '--detailed-exitcode']);
      expectExit(after, 0, `plan after the apply of ${n} creates`);
      perKey.set(n, r.wallMs / n);
      rows.push({
        section: 'apply',
        name: `plan of ${n} creates: wall / peak RSS`,
        value: before.wallMs,
        unit: 'ms',
        note: `${before.maxRssMb.toFixed(0)} MB`,
      });
      rows.push({
        section: 'apply',
        name: `apply ${n} OUTSCALE creates: wall`,
        value: r.wallMs,
        unit: 'ms',
        ...(targets && n === 2000 ? { target: 20_000, op: '<' } : {}),
      });
      rows.push({ section: 'apply', name: `apply ${n} OUTSCALE creates: per key`, value: r.wallMs / n, unit: 'ms' });
      rows.push({ section: 'apply', name: `apply ${n} OUTSCALE creates: CPU / peak RSS`, value: r.cpuMs, unit: 'ms', note: `${r.maxRssMb.toFixed(0)} MB` });
      rows.push({
        section: 'apply',
        name: `plan again after ${n} creates: wall / peak RSS`,
        value: after.wallMs,
        unit: 'ms',
        note: `${after.maxRssMb.toFixed(0)} MB`,
      });
    } finally {
      await ws.close();
    }
  }
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  if (targets && sizes.length > 1) {
    rows.push({
      section: 'apply',
      name: `apply ms/key at ${large} / at ${small}`,
      value: perKey.get(large) / perKey.get(small),
      unit: 'x',
      target: 1.3,
      op: '<=',
    });
  }
  return rows;
}

/**
 * (e) The apply of (c) with the state in PostgreSQL (a throwaway server, fsync off, as the
 * tests run it): ms per key at each size, each on a fresh database. No target in issue 14.
 */
export async function postgresSection({ sizes }) {
  const { startBenchPostgres } = await import('./postgres.mjs');
  const rows = [];
  for (const n of sizes) {
    const db = await startBenchPostgres();
    const ws = await workspace({ count: n, seeded: false, perUser: 5, kinds: 'outscale', statePath: 'postgres', extraEnv: { KEYPLAN_BENCH_PG: db.url } });
    try {
      const r = await ws.run(['apply', '--auto-approve']);
      expectExit(r, 0, `apply of ${n} creates with postgres state`);
      rows.push({ section: 'postgres', name: `apply ${n} OUTSCALE creates, postgres state: wall`, value: r.wallMs, unit: 'ms' });
      rows.push({ section: 'postgres', name: `apply ${n} OUTSCALE creates, postgres state: per key`, value: r.wallMs / n, unit: 'ms' });
      rows.push({
        section: 'postgres',
        name: `apply ${n} OUTSCALE creates, postgres state: CPU / peak RSS`,
        value: r.cpuMs,
        unit: 'ms',
        note: `${r.maxRssMb.toFixed(0)} MB`,
      });
    } finally {
      await ws.close();
      await db.stop();
    }
  }
  return rows;
}

/** (d) `count` OCI API key creates (keyplan generates each RSA-2048 key pair), against the RSA keygen floor measured right after. */
export async function ociSection({ count }) {
  const ws = await workspace({ count, seeded: false, perUser: 3, kinds: 'oci' });
  let r;
  try {
    r = await ws.run(['apply', '--auto-approve']);
    expectExit(r, 0, `apply of ${count} OCI creates`);
  } finally {
    await ws.close();
  }
  const [floor] = await rsaFloorSection({ count, concurrency: PARALLELISM });
  return [
    { section: 'oci', name: `apply ${count} OCI creates: wall`, value: r.wallMs, unit: 'ms', note: `CPU ${r.cpuMs.toFixed(0)} ms` },
    floor,
    { section: 'oci', name: `OCI creates / RSA keygen floor`, value: r.wallMs / floor.value, unit: 'x', note: 'no target in issue 14; 1.0 is the floor' },
  ];
}

/** keyplan's default `--parallelism`: how many steps (and so RSA key generations) run at once. */
export const PARALLELISM = 10;

/** The RSA keygen floor: `count` RSA-2048 key pairs generated `concurrency` at a time, as OCI creates need. */
export async function rsaFloorSection({ count, concurrency }) {
  const gen = promisify(generateKeyPair);
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await gen('rsa', { modulusLength: 2048 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return [{ section: 'oci', name: `RSA keygen floor: ${count} RSA-2048 keys, ${concurrency} at a time`, value: ms, unit: 'ms' }];
}
