/**
 * Where a run's time goes, phase by phase: each mark closes the phase since the previous
 * one (the first since the process started, so it holds Node's own start and loading
 * keyplan). With KEYPLAN_TIMINGS=1 the CLI prints them on stderr at exit, one line, e.g.
 * `timings (CPU/wall ms): start 180/190, config 95/97, state 20/21, refresh 160/420, plan 30/30, output 12/12`;
 * the bench reads it. A mark costs two clock reads, so phases are always marked.
 */
/** One closed phase: its CPU time (all threads of the process) and wall time, in ms. */
export interface PhaseTiming {
  readonly phase: string;
  readonly cpuMs: number;
  readonly wallMs: number;
}

const phases: PhaseTiming[] = [];
let lastCpuMs = 0;
// process.uptime() counts from the process's start, as process.cpuUsage() does (and, unlike
// performance.now(), does not load node:perf_hooks, some 8 ms of a short command).
let lastWallMs = 0;

/** Closes the phase `phase` now. A phase marked twice (two plans in one run) adds up. */
export function markPhase(phase: string): void {
  const usage = process.cpuUsage();
  const cpuMs = (usage.user + usage.system) / 1000;
  const wallMs = process.uptime() * 1000;
  const timing = { phase, cpuMs: cpuMs - lastCpuMs, wallMs: wallMs - lastWallMs };
  const at = phases.findIndex((p) => p.phase === phase);
  if (at === -1) phases.push(timing);
  else phases[at] = { phase, cpuMs: (phases[at] as PhaseTiming).cpuMs + timing.cpuMs, wallMs: (phases[at] as PhaseTiming).wallMs + timing.wallMs };
  lastCpuMs = cpuMs;
  lastWallMs = wallMs;
}

/** The phases closed so far, in the order they first closed. */
export function phaseTimings(): readonly PhaseTiming[] {
  return phases;
}

/** The one-line summary the CLI prints. */
export function formatPhaseTimings(timings: readonly PhaseTiming[]): string {
  const each = timings.map((t) => `${t.phase} ${Math.round(t.cpuMs)}/${Math.round(t.wallMs)}`).join(', ');
  return `timings (CPU/wall ms): ${each}`;
}
