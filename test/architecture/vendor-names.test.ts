/**
 * A provider lives in its folder: outside src/providers/<type>/, the registry's list and
 * the emulators, no source file names a vendor or its products. Adding a provider then
 * touches its own folder and one line of the registry (src/providers/README.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_PROVIDERS } from '../../src/providers/registry.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** Vendor and product words of the shipped providers (their types, names, and the product names their kinds use). */
const TERMS = [...new Set([...SHIPPED_PROVIDERS.flatMap((p) => [p.type, p.displayName.toLowerCase()]), 'bds', 'heimdall', 'osc', 'iam', 'eim'])];

/** Where vendors may be named: their own folders, the registry's list, the emulators. */
const ALLOWED = [...SHIPPED_PROVIDERS.map((p) => `providers/${p.type}/`), 'providers/registry.ts', 'emulators/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('vendor names', () => {
  it('appear in no source file outside the provider folders, the registry and the emulators', () => {
    const word = new RegExp(`(?<![A-Za-z])(${TERMS.join('|')})(?![A-Za-z])`, 'i');
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const rel = relative(SRC, file).split(sep).join('/');
      if (ALLOWED.some((prefix) => rel.startsWith(prefix))) continue;
      for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
        if (word.test(line)) found.push(`src/${rel}:${i + 1}: ${line.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('catches a vendor named in the planner', () => {
    const word = new RegExp(`(?<![A-Za-z])(${TERMS.join('|')})(?![A-Za-z])`, 'i');
    expect(word.test('// OCI allows 3 keys per user')).toBe(true);
    expect(word.test('const ocid = 1; // an Ocid-like id')).toBe(false);
  });
});
