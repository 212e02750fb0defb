// Preloaded into the measured keyplan process (node --require): when it exits, writes its
// own CPU time and peak RSS to the file named by KEYPLAN_BENCH_USAGE, so the figures are
// keyplan's alone (the emulators run in another process). CommonJS, as keyplan's entry is:
// an ES module preloaded with --import would start Node's ES module loader, which a
// keyplan command does not, and its cost would count as keyplan's.
'use strict';
const { writeFileSync } = require('node:fs');

const target = process.env.KEYPLAN_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 }));
  });
}
