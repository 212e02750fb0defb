#!/usr/bin/env node
// `npm run bench`: keyplan's plan, refresh and apply figures at several sizes, each next to
// its target from issue 14, as a table on stdout and JSON in bench/results.json (or --out).
// Runs the built CLI (dist/, `npm run build` first), each keyplan command a child process
// with the emulators in another, so CPU and RSS are keyplan's own.
//
//   node bench/run.mjs [--only plan|refresh|apply|oci|postgres] [--smoke] [--out FILE]
//                      [--plan-sizes 2000,10000] [--apply-sizes 500,1000,2000,5000] [--postgres-sizes 500,2000,5000]
//                      [--refresh-keys 3000] [--refresh-users 1000] [--latency 20] [--oci-keys 100]
//
// --smoke: 20 keys, every section once, targets not checked (npm test runs it).
import process from 'node:process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './processes.mjs';
import { applySection, ociSection, planSection, postgresSection, refreshSection } from './sections.mjs';
import { formatTable, judge } from './table.mjs';

const SECTIONS = ['plan', 'refresh', 'apply', 'oci', 'postgres'];
const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    'plan-sizes': { type: 'string' },
    'apply-sizes': { type: 'string' },
    'refresh-keys': { type: 'string' },
    'refresh-users': { type: 'string' },
    latency: { type: 'string' },
    'oci-keys': { type: 'string' },
    'postgres-sizes': { type: 'string' },
  },
});

const sizes = (text, fallback) => (text === undefined ? fallback : text.split(',').map(Number));
const only = values.only ?? SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section "${s}"; sections: ${SECTIONS.join(', ')}`);
const smoke = values.smoke;
const targets = !smoke;

const rows = [];
if (only.includes('plan')) rows.push(...(await planSection({ sizes: sizes(values['plan-sizes'], smoke ? [20] : [2000, 10000]), targets })));
if (only.includes('refresh')) {
  rows.push(
    ...(await refreshSection({
      keys: Number(values['refresh-keys'] ?? (smoke ? 20 : 3000)),
      users: Number(values['refresh-users'] ?? (smoke ? 10 : 1000)),
      latencyMs: Number(values.latency ?? 20),
      targets,
    })),
  );
}
if (only.includes('apply')) rows.push(...(await applySection({ sizes: sizes(values['apply-sizes'], smoke ? [20] : [500, 1000, 2000, 5000]), targets })));
if (only.includes('oci')) rows.push(...(await ociSection({ count: Number(values['oci-keys'] ?? (smoke ? 4 : 100)) })));
// Not in --smoke: it starts a PostgreSQL server.
if (only.includes('postgres') && (!smoke || values.only !== undefined)) {
  rows.push(...(await postgresSection({ sizes: sizes(values['postgres-sizes'], smoke ? [20] : [500, 2000, 5000]) })));
}

const judged = rows.map(judge);
process.stdout.write(formatTable(judged));
const out = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench', 'results.json'));
writeFileSync(out, `${JSON.stringify({ smoke, cores: (await import('node:os')).availableParallelism(), node: process.version, rows: judged }, null, 2)}\n`);
process.stderr.write(`Results written to ${out}\n`);
if (judged.some((r) => r.pass === false)) process.exitCode = 1;
