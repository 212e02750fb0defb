/**
 * The code cache as bin/keyplan.js uses it (the built dist/bundle/compile-cache.cjs), in
 * child processes: a cache is written once and then used, never for other source, and a
 * broken or unwritable cache only means compiling as usual.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BUILT = path.join(import.meta.dirname, '..', '..', 'dist', 'bundle', 'compile-cache.cjs');

let work = '';
let code = '';
let cache = '';

/** Runs main.cjs of the code folder with the cache on, as the CLI does; returns what it printed. */
function run(variant = 'plan-baseline'): string {
  const runner = `
    const { enableCompileCache } = require(${JSON.stringify(BUILT)});
    enableCompileCache(${JSON.stringify(code)}, ${JSON.stringify(cache)}, ${JSON.stringify(variant)});
    require(${JSON.stringify(path.join(code, 'main.cjs'))});`;
  return execFileSync(process.execPath, ['--max-opt=1', '-e', runner], { encoding: 'utf8' });
}

function writeCode(greeting: string): void {
  writeFileSync(path.join(code, 'helper.cjs'), `exports.greet = (name) => ${JSON.stringify(greeting)} + ', ' + name;\n`);
  writeFileSync(path.join(code, 'main.cjs'), `const { greet } = require('./helper.cjs');\nconsole.log(greet('world'));\n`);
}

const cacheFiles = (): string[] => readdirSync(cache).sort();
const modified = (): number[] => cacheFiles().map((f) => statSync(path.join(cache, f)).mtimeMs);

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'keyplan-compile-cache-'));
  code = path.join(work, 'bundle');
  cache = path.join(work, 'compile-cache');
  mkdirSync(code);
  writeCode('hello');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('the compile cache', () => {
  it('is written by the first run, per file, and used as it is by the next', async () => {
    expect(run()).toBe('hello, world\n');
    const files = cacheFiles();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^helper\.cjs\.plan-baseline\.v\d+\.\d+\.\d+-\w+\.[0-9a-f]{32}\.v8$/);
    expect(files[1]).toMatch(/^main\.cjs\.plan-baseline\./);
    const before = modified();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(run()).toBe('hello, world\n');
    // A cache V8 rejected would have been written again.
    expect(cacheFiles()).toEqual(files);
    expect(modified()).toEqual(before);
  });

  it('never runs a cache made from other source, even of the same length', () => {
    expect(run()).toBe('hello, world\n');
    const first = cacheFiles();
    writeCode('howdy');
    expect(run()).toBe('howdy, world\n');
    const second = cacheFiles();
    expect(second).toHaveLength(2);
    // The old version of the changed file is gone; the unchanged file keeps its cache.
    expect(second.filter((f) => f.startsWith('helper.'))).not.toEqual(first.filter((f) => f.startsWith('helper.')));
    expect(second.filter((f) => f.startsWith('main.'))).toEqual(first.filter((f) => f.startsWith('main.')));
  });

  it('keeps one cache per variant (command and V8 flags)', () => {
    run('plan-baseline');
    run('validate-baseline');
    expect(
      cacheFiles()
        .filter((f) => f.startsWith('main.'))
        .map((f) => f.split('.')[2]),
    ).toEqual(['plan-baseline', 'validate-baseline']);
  });

  it('compiles as usual over a broken cache file, and replaces it', () => {
    run();
    const [helper] = cacheFiles();
    writeFileSync(path.join(cache, helper as string), 'not bytecode');
    expect(run()).toBe('hello, world\n');
    expect(statSync(path.join(cache, helper as string)).size).toBeGreaterThan('not bytecode'.length);
  });

  it('compiles as usual where the cache cannot be written', () => {
    writeFileSync(cache, 'a file where the folder would be');
    expect(run()).toBe('hello, world\n');
    expect(statSync(cache).isFile()).toBe(true);
  });
});
