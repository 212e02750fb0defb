/**
 * A V8 code cache for the bundled CLI: what Node 22's `module.enableCompileCache` does,
 * for Node 20, which has no such thing. A command runs for about a second, and compiling
 * its code took a tenth of that on a 2-core machine (the bundle is some 800 KB of JS, and
 * V8 compiles each function again in every process, the first time it runs). With the
 * cache, V8 reads the bytecode the last run left instead.
 *
 * The cache holds bytecode of keyplan's own code, never data: no secret, no config value.
 * It lives beside the code (a folder the installer owns, not the shared temp folder, where
 * another user could plant bytecode for us to run), and a file is used only for the exact
 * source it was made from (its sha-256 is in the name), this Node version and architecture;
 * V8 itself checks its version and flags and rejects a mismatch. Nothing here may fail a
 * command: an unwritable folder or a broken file means compiling as usual.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** What one compiled file leaves for the next run. */
interface Compiled {
  readonly script: vm.Script;
  readonly cacheFile: string;
  /** V8 took the cache read for it. */
  readonly cached: boolean;
}

type CompileFn = (this: Module, content: string, filename: string) => unknown;

/**
 * Compiles every CommonJS file directly in `codeDir` with the code cache in `cacheDir`, and
 * saves the missing ones when the process exits. A cache holds the functions that had run by
 * then, so each command has its own (`variant`: the command, and the V8 flags it runs with,
 * under which V8 would reject another's): one made after `--version` would hold little of
 * what a plan runs. Serialising every cache again at each exit to see whether it grew cost
 * more than a tenth of what the cache saves. Does nothing where Node has its own
 * (22.1 and later: it is used instead) or lacks what this needs.
 */
export function enableCompileCache(codeDir: string, cacheDir: string, variant: string): void {
  const own = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (own !== undefined) {
    own(cacheDir);
    return;
  }
  const importModuleDynamically = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const proto = Module.prototype as unknown as { _compile?: CompileFn };
  const original = proto._compile;
  if (importModuleDynamically === undefined || original === undefined) return;

  const compiled: Compiled[] = [];
  proto._compile = function compileWithCache(this: Module, content: string, filename: string): unknown {
    if (path.dirname(filename) !== codeDir || !filename.endsWith('.cjs')) return original.call(this, content, filename);
    const cacheFile = path.join(cacheDir, cacheName(filename, content, variant));
    const cachedData = readOrUndefined(cacheFile);
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData === undefined ? {} : { cachedData }), importModuleDynamically });
    compiled.push({ script, cacheFile, cached: cachedData !== undefined && script.cachedDataRejected !== true });
    return runWrapped(this, script, filename);
  };
  process.once('exit', () => save(compiled, cacheDir));
}

/** `<file>.<variant>.<node version>-<arch>.<sha-256 of its source>.v8`: any change to one of these is another file. */
function cacheName(filename: string, content: string, variant: string): string {
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 32);
  return `${path.basename(filename)}.${variant}.${process.version}-${process.arch}.${digest}.v8`;
}

/** Runs the module wrapper as Module#_compile does: exports, require, module, __filename, __dirname. */
function runWrapped(module: Module, script: vm.Script, filename: string): unknown {
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const statics = Module as unknown as {
    _resolveFilename: (request: string, parent: Module, isMain: boolean, options?: unknown) => string;
    _cache: NodeJS.Dict<Module>;
  };
  require.resolve = ((request: string, options?: unknown) => statics._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  require.cache = statics._cache;
  require.main = process.mainModule;
  return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes each cache that was missing or rejected (atomically: another run may be reading it), and drops its older versions. */
function save(compiled: readonly Compiled[], cacheDir: string): void {
  for (const { script, cacheFile, cached } of compiled) {
    if (cached) continue;
    try {
      const data = script.createCachedData();
      mkdirSync(cacheDir, { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, data);
      renameSync(temporary, cacheFile);
      dropOtherVersions(cacheDir, path.basename(cacheFile));
    } catch {
      // A read-only install, a full disk: the next run compiles as usual.
    }
  }
}

/** Caches of the same file and variant for another source or Node version: only the newest is kept. */
function dropOtherVersions(cacheDir: string, kept: string): void {
  const [file, variant] = kept.split('.cjs.') as [string, string];
  const prefix = `${file}.cjs.${variant.slice(0, variant.indexOf('.'))}.`;
  for (const name of readdirSync(cacheDir)) {
    if (name !== kept && name.startsWith(prefix)) rmSync(path.join(cacheDir, name), { force: true });
  }
}
