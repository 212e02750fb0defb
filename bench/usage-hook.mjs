// Preloaded into the measured keyplan process (node --import): when it exits, writes its
// own CPU time and peak RSS to the file named by KEYPLAN_BENCH_USAGE, so the figures are
// keyplan's alone (the emulators run in another process).
import process from 'node:process';
import { writeFileSync } from 'node:fs';

const target = process.env.KEYPLAN_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 }));
  });
}
