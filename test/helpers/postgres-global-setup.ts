/**
 * vitest globalSetup: ONE throwaway PostgreSQL server for the whole test run (see
 * postgres-server.ts). It starts in the background, so runs that use no database wait for
 * nothing; the test files that do call `testDatabase()` (postgres-db.ts), which waits for
 * the status file this setup writes. Teardown stops the server, also after failures, and a
 * process exit without teardown still ends it.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgresServer, type PostgresServer, type PostgresServerInfo } from './postgres-server.js';

/** What the status file holds once the server is up, or why it could not start. */
export type PostgresStatus = { readonly ok: true; readonly server: PostgresServerInfo } | { readonly ok: false; readonly error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the JSON file holding a PostgresStatus once the server has started or failed. */
    postgresStatusFile: string;
  }
}

let starting: Promise<PostgresServer | undefined> | undefined;
let statusDir: string | undefined;

/** Starts the server in the background and tells the test files where its status will be. */
export function setup(project: TestProject): void {
  statusDir = mkdtempSync(path.join(tmpdir(), 'keyplan-pg-status-'));
  const file = path.join(statusDir, 'status.json');
  project.provide('postgresStatusFile', file);
  starting = startPostgresServer().then(
    (server) => {
      const status: PostgresStatus = { ok: true, server: { host: server.host, port: server.port, user: server.user, password: server.password } };
      writeStatus(file, status);
      // A killed or crashing vitest never runs teardown: end the postmaster with the process.
      process.once('exit', () => {
        try {
          process.kill(server.pid, 'SIGQUIT');
        } catch {
          // already stopped
        }
      });
      return server;
    },
    (error: unknown) => {
      writeStatus(file, { ok: false, error: (error as Error).message });
      return undefined;
    },
  );
}

/** Writes the status whole (rename), so a test file polling for it never reads half of it. */
function writeStatus(file: string, status: PostgresStatus): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(status));
  renameSync(`${file}.tmp`, file);
}

/** Stops the server once it has started (or failed to), and removes the status folder. */
export async function teardown(): Promise<void> {
  const server = await starting;
  await server?.stop();
  if (statusDir !== undefined) rmSync(statusDir, { recursive: true, force: true });
}
