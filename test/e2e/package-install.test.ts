/**
 * keyplan as a user installs it: `npm pack` in a copy of the repository (so prepack builds dist/
 * there, not under the other tests' feet), then `npm install` of the tarball into an empty
 * project with no network — npm offline against the cache `npm ci` filled, and a registry that
 * refuses connections — and the installed `keyplan` runs with no build step.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

// npm's cache is keyed by the registry's URLs, so the registry stays as configured; every request
// goes through a proxy on the loopback's port 9 (discard), which refuses it at once.
const NO_NETWORK = 'http://127.0.0.1:9/';
const SHIPPED = ['package.json', 'bin', 'schemas', 'scripts', 'src', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE'];

let work = '';
let project = '';
let tarball = '';
let packedFiles: string[] = [];
let npmEnv: NodeJS.ProcessEnv = {};

/** The environment without the npm_* variables of whatever npm started the tests. */
function offlineEnv(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return { ...env, npm_config_cache: cache, npm_config_proxy: NO_NETWORK, npm_config_https_proxy: NO_NETWORK, npm_config_offline: 'true', NO_COLOR: '1' };
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  [field: string]: unknown;
}

/**
 * A project that depends on the tarball, with the lockfile such a project would have: keyplan's
 * runtime dependencies pinned as in this repository's lockfile. (npm's offline mode installs
 * what a lockfile pins from the cache; resolving version ranges would need the registry.)
 */
function writeProject(dir: string, tarballName: string): void {
  const spec = `file:${tarballName}`;
  const repoLock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const self = repoLock.packages['']!;
  const packages: Record<string, LockEntry> = {
    '': { name: 'my-keys', dependencies: { keyplan: spec } },
    'node_modules/keyplan': {
      version: self.version,
      resolved: spec,
      license: self.license,
      dependencies: self.dependencies,
      bin: self.bin,
      engines: self.engines,
    },
  };
  for (const [where, entry] of Object.entries(repoLock.packages)) if (where !== '' && entry.dev !== true) packages[where] = entry;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'my-keys', private: true, dependencies: { keyplan: spec } }));
  writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ name: 'my-keys', lockfileVersion: 3, requires: true, packages }));
}

function npm(cwd: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8', timeout: 180_000 });
}

beforeAll(() => {
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  npmEnv = offlineEnv(cache);
  work = mkdtempSync(path.join(os.tmpdir(), 'keyplan-pack-'));
  const source = path.join(work, 'source');
  mkdirSync(source);
  for (const entry of SHIPPED) cpSync(path.join(REPO_ROOT, entry), path.join(source, entry), { recursive: true });
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');

  const packed = npm(source, ['pack', '--json', '--pack-destination', work]);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info[0]!.filename);
  packedFiles = info[0]!.files.map((f) => f.path);

  project = path.join(work, 'project');
  mkdirSync(project);
  cpSync(tarball, path.join(project, path.basename(tarball)));
  writeProject(project, path.basename(tarball));
  const installed = npm(project, ['ci', '--no-audit', '--no-fund']);
  if (installed.status !== 0) throw new Error(`npm ci of the tarball failed:\n${installed.stderr}`);
}, 240_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the bundled CLI, schemas, README and LICENSE, and no sources or tests', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'bin/keyplan.js',
        'dist/bundle/keyplan.cjs',
        'dist/bundle/compile-cache.cjs',
        'schemas/keys.schema.json',
        'README.md',
        'LICENSE',
      ]),
    );
    expect(packedFiles.filter((f) => /^(src|test|scripts)\//.test(f))).toEqual([]);
    // The bundle alone runs: the per-module build it was made from stays out of the package.
    expect(packedFiles.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/bundle/'))).toEqual([]);
  });

  it('was installed with no network: npm really was offline', () => {
    // A package npm has never cached cannot come from anywhere but the (refusing) registry.
    const absent = npm(project, ['install', '--no-audit', '--no-fund', 'keyplan-e2e-never-cached']);
    expect(absent.status).not.toBe(0);
    expect(absent.stderr).toMatch(/ENOTCACHED|offline/i);
    expect(existsSync(path.join(project, 'node_modules', 'keyplan', 'dist', 'bundle', 'keyplan.cjs'))).toBe(true);
    expect(readdirSync(path.join(project, 'node_modules', 'keyplan'))).not.toContain('src');
  });

  it('runs `npx keyplan --version` in the installing project', () => {
    const run = spawnSync('npx', ['--offline', 'keyplan', '--version'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('keyplan v0.1.0');
    expect(run.status).toBe(0);
    // The code cache is kept beside the installed code, never in the shared temp folder.
    expect(readdirSync(path.join(project, 'node_modules', 'keyplan', 'dist', 'compile-cache')).some((f) => f.startsWith('keyplan.cjs.'))).toBe(true);
  });

  it('without dist/ (an unbuilt clone or git install), keyplan says so in one line', () => {
    const source = path.join(work, 'source');
    expect(existsSync(path.join(source, 'dist', 'bundle', 'keyplan.cjs'))).toBe(true); // prepack built it
    rmSync(path.join(source, 'dist'), { recursive: true });
    const run = spawnSync(process.execPath, [path.join(source, 'bin', 'keyplan.js'), '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^keyplan: not built \(dist\/ is missing\)/);
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
  });

  it('plans a keys.yaml against the sandbox there', () => {
    writeFileSync(
      path.join(project, 'keys.yaml'),
      `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
keys:
  - name: first-key
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..installed
    passphrase: { env: INSTALLED_PASSPHRASE }
    outputs:
      - { type: file, path: out/first-key.pem }
`,
    );
    const run = spawnSync('npx', ['--offline', 'keyplan', 'plan'], {
      cwd: project,
      env: { ...npmEnv, INSTALLED_PASSPHRASE: 'installed-Passphrase-1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).not.toMatch(/ERR_|at .*\(/);
    expect(run.stdout).toMatch(/first-key/);
    expect(run.stdout).toMatch(/Plan: 1 to create, 0 to rotate/);
    expect(run.status).toBe(0);
  });
});
