/**
 * The examples can be tried side by side in one clone: each writes its own state file and its own
 * output folder, and everything they write is gitignored, so a trial never leaves secrets to commit.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = path.join(root, 'examples');
const files = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));

interface ExampleWrites {
  readonly file: string;
  readonly state: string;
  readonly outputs: readonly string[];
}

/** Paths relative to the repository root; keys.yaml paths resolve against the file's folder. */
function writesOf(file: string): ExampleWrites {
  const doc = parse(readFileSync(path.join(examplesDir, file), 'utf8')) as {
    state?: { path?: string };
    keys: { outputs?: { path?: string }[] }[];
  };
  const inRepo = (p: string): string => path.relative(root, path.resolve(examplesDir, p)).split(path.sep).join('/');
  const outputs = doc.keys
    .flatMap((k) => k.outputs ?? [])
    .map((o) => o.path)
    .filter((p): p is string => p !== undefined && !p.startsWith('~/'));
  return { file, state: inRepo(doc.state?.path ?? '(none)'), outputs: outputs.map(inRepo) };
}

const gitignore = readFileSync(path.join(root, '.gitignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

/** Directory patterns only (`name/` at any depth, `a/b/` anchored at the root), as .gitignore reads them. */
function ignored(repoPath: string): boolean {
  const segments = repoPath.split('/');
  return gitignore.some((pattern) => {
    const dir = pattern.replace(/\/$/, '').replace(/^\//, '');
    if (!pattern.endsWith('/')) return false;
    if (dir.includes('/')) return repoPath.startsWith(`${dir}/`);
    return segments.slice(0, -1).includes(dir);
  });
}

const all = files.map(writesOf);

describe('examples do not collide', () => {
  it('there are examples to check', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  it('each example names its own state file', () => {
    for (const e of all) expect(e.state, e.file).not.toBe('(none)');
    const states = all.map((e) => e.state);
    expect(new Set(states).size).toBe(states.length);
  });

  it('each example writes its outputs into a folder no other example writes to', () => {
    const owner = new Map<string, string>();
    for (const e of all) {
      expect(e.outputs.length, e.file).toBeGreaterThan(0);
      for (const out of e.outputs) {
        const folder = path.posix.dirname(out);
        expect(owner.get(folder) ?? e.file, `${folder} is written by two examples`).toBe(e.file);
        owner.set(folder, e.file);
      }
    }
  });

  it('everything an example writes in the repository is gitignored', () => {
    for (const e of all) {
      for (const p of [e.state, ...e.outputs]) expect(ignored(p), `${e.file} writes ${p}`).toBe(true);
    }
  });
});
