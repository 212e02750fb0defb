/**
 * The layer rules of eslint.config.js bite: each case lints one import as if it were written
 * in a file of the given layer, through the same config `npm run lint` uses.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: fileURLToPath(new URL('../../eslint.config.js', import.meta.url)) });
});

/** Lints `import … from spec` (a value or a type import) as the content of `file`. */
async function lintImport(file: string, spec: string, how: 'value' | 'type' = 'value'): Promise<ESLint.LintResult> {
  const text =
    how === 'type' ? `import type { Probe } from '${spec}';\nexport type Used = Probe;\n` : `import { probe } from '${spec}';\nexport const used = probe;\n`;
  const [result] = await eslint.lintText(text, { filePath: `${ROOT}${file}` });
  if (result === undefined) throw new Error(`Expected one lint result for ${file}, got none`);
  return result;
}

describe('layer rules', () => {
  it.each([
    ['src/plan/probe.ts', '../providers/oci/adapter.js', 'value'],
    ['src/plan/probe.ts', '../providers/oci/adapter.js', 'type'],
    ['src/plan/probe.ts', '../providers/registry.js', 'value'],
    ['src/plan/probe.ts', '../apply/applier.js', 'value'],
    ['src/plan/probe.ts', '../engine.js', 'value'],
    ['src/apply/probe.ts', '../engine/workspace.js', 'value'],
    ['src/engine/probe.ts', '../cli/io.js', 'value'],
    ['src/state/probe.ts', '../outputs/atomic-write.js', 'value'],
    ['src/state/probe.ts', '../providers/outscale/adapter.js', 'type'],
    ['src/render/probe.ts', '../providers/dataos/adapter.js', 'value'],
    ['src/render/probe.ts', '../state/local-store.js', 'value'],
    ['src/apply/probe.ts', '../cli/io.js', 'value'],
    ['src/model/probe.ts', '../state/store.js', 'type'],
    ['src/model/probe.ts', '../errors/errors.js', 'value'],
    ['src/fs/probe.ts', '../outputs/output-error.js', 'value'],
    ['src/providers/oci/bds/probe.ts', '../../../plan/planner.js', 'value'],
    ['src/providers/oci/probe.ts', '../../emulators/oci/index.js', 'value'],
    ['src/engine.ts', './emulators/oci/index.js', 'value'],
    ['src/cli/commands/plan.ts', '../../emulators/sandbox.js', 'value'],
  ] as const)('%s may not import %s (%s)', async (file, spec, how) => {
    const result = await lintImport(file, spec, how);
    expect(result.messages).toEqual([expect.objectContaining({ ruleId: RULE, severity: 2, message: expect.stringContaining('Layer rule:') })]);
  });

  it.each([
    ['src/plan/probe.ts', '../providers/contract.js', 'type'],
    ['src/plan/probe.ts', '../providers/registry.js', 'type'],
    ['src/plan/probe.ts', '../model/live.js', 'value'],
    ['src/plan/probe.ts', '../outputs/atomic-write.js', 'value'],
    ['src/plan/probe.ts', '../state/journal.js', 'value'],
    ['src/refresh/probe.ts', '../state/journal.js', 'value'],
    ['src/state/probe.ts', '../model/state.js', 'type'],
    ['src/state/probe.ts', '../fs/atomic-write.js', 'value'],
    ['src/model/probe.ts', '../errors/diagnostic.js', 'type'],
    ['src/apply/probe.ts', '../state/state-session.js', 'value'],
    ['src/engine.ts', './plan/index.js', 'value'],
    ['src/engine.ts', './emulators/sandbox.js', 'value'],
    ['src/engine/probe.ts', '../plan/index.js', 'value'],
    ['src/cli/commands/plan.ts', '../../engine.js', 'value'],
    ['src/plan/probe.ts', '../model/engine-facts.js', 'value'],
    ['src/cli/commands/sandbox.ts', '../../emulators/sandbox.js', 'value'],
    ['src/providers/oci/sandbox.ts', '../../emulators/oci/index.js', 'value'],
    ['src/providers/oci/outputs/oci-config.ts', '../../../outputs/output-error.js', 'value'],
    ['src/plan/probe.test.ts', '../providers/oci/adapter.js', 'value'],
    ['test/e2e/probe.test.ts', '../../src/providers/oci/adapter.js', 'value'],
  ] as const)('%s may import %s (%s)', async (file, spec, how) => {
    const result = await lintImport(file, spec, how);
    expect(result.messages).toEqual([]);
  });
});

describe('house rules', () => {
  it.each([
    ['src/plan/probe.ts', 'export default function probe(): void {}\n', 'no-restricted-syntax'],
    ['src/apply/probe.ts', "export function probe(): void {\n  console.log('done');\n}\n", 'no-console'],
    ['src/state/probe.ts', 'export function probe(value: any): unknown {\n  return value;\n}\n', '@typescript-eslint/no-explicit-any'],
  ])('%s: %j is refused by %s', async (file, text, rule) => {
    const [result] = await eslint.lintText(text, { filePath: `${ROOT}${file}` });
    expect(result?.messages).toEqual([expect.objectContaining({ ruleId: rule, severity: 2 })]);
  });

  it('lets the views print', async () => {
    const [result] = await eslint.lintText("export function probe(): void {\n  console.log('done');\n}\n", { filePath: `${ROOT}src/render/probe.ts` });
    expect(result?.messages).toEqual([]);
  });
});
