/**
 * KP codes (`KP_<AREA>_<E|W|I>nnnn`) are what scripts and the JSON output match on, so each
 * means one thing: every code lives in one registry (an exported `<NAME>_CODES` object of
 * string literals), one registry per area, and no code is written as a literal elsewhere
 * in src/ (tests may spell codes out, that is what they check).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CODE = /^KP_([A-Z]+)_[EWI]\d{4}$/;
const REGISTRY_NAME = /^[A-Z][A-Z_]*_CODES$/;

/** One registry entry as written in the source. */
interface Entry {
  readonly registry: string;
  readonly key: string;
  readonly code: string;
}

/** What scanning src/ found. */
interface Scan {
  readonly registries: ReadonlyMap<string, readonly Entry[]>;
  /** `file:line: text` of every KP literal outside a registry, and of registry entries that are not plain string literals. */
  readonly strays: readonly string[];
}

function sourceFiles(): string[] {
  const src = join(ROOT, 'src');
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(src, f))
    .sort();
}

function isExported(node: ts.VariableStatement): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** The object literal of `{…}` or `{…} as const`. */
function objectOf(init: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const inner = init !== undefined && ts.isAsExpression(init) ? init.expression : init;
  return inner !== undefined && ts.isObjectLiteralExpression(inner) ? inner : undefined;
}

function scanSources(): Scan {
  const registries = new Map<string, Entry[]>();
  const strays: string[] = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const where = (node: ts.Node): string => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const registered = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (ts.isVariableStatement(node) && isExported(node)) {
        for (const decl of node.declarationList.declarations) {
          const object = objectOf(decl.initializer);
          if (!ts.isIdentifier(decl.name) || !REGISTRY_NAME.test(decl.name.text) || object === undefined) continue;
          const name = decl.name.text;
          if (registries.has(name)) strays.push(`${where(decl)}: a second registry named ${name}`);
          const entries: Entry[] = [];
          for (const prop of object.properties) {
            if (ts.isPropertyAssignment(prop) && ts.isStringLiteral(prop.initializer)) {
              registered.add(prop.initializer);
              entries.push({ registry: name, key: prop.name.getText(source), code: prop.initializer.text });
            } else {
              strays.push(`${where(prop)}: entry of ${name} is not \`key: 'KP_…'\`: ${prop.getText(source)}`);
            }
          }
          registries.set(name, entries);
        }
      }
      const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) ? node.text : undefined;
      if (literal !== undefined && literal.startsWith('KP_') && !registered.has(node)) strays.push(`${where(node)}: ${node.getText(source)}`);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { registries, strays };
}

const scan = scanSources();
const entries = [...scan.registries.values()].flat();

describe('KP code registries', () => {
  it('are found in every area that has codes', () => {
    // The scan must see the registries it checks; a broken scan would pass everything below.
    expect([...scan.registries.keys()]).toEqual(
      expect.arrayContaining([
        'CONFIG_CODES',
        'PLAN_CODES',
        'PLAN_FILE_CODES',
        'STATE_CODES',
        'APPLY_CODES',
        'CLI_CODES',
        'OCI_CODES',
        'OSC_CODES',
        'DATAOS_CODES',
      ]),
    );
    expect(entries.length).toBeGreaterThan(50);
  });

  it('hold only codes of the form KP_<AREA>_<E|W|I>nnnn', () => {
    expect(entries.filter((e) => !CODE.test(e.code)).map((e) => `${e.registry}.${e.key} = ${e.code}`)).toEqual([]);
  });

  it('give each code one meaning across the project', () => {
    const byCode = new Map<string, string[]>();
    for (const e of entries) byCode.set(e.code, [...(byCode.get(e.code) ?? []), `${e.registry}.${e.key}`]);
    const reused = [...byCode].filter(([, names]) => names.length > 1).map(([code, names]) => `${code}: ${names.join(', ')}`);
    expect(reused).toEqual([]);
  });

  it('keep each area in one registry, and each registry to one area', () => {
    const registriesOf = new Map<string, Set<string>>();
    for (const [name, list] of scan.registries) {
      const areas = new Set(list.map((e) => CODE.exec(e.code)?.[1] ?? e.code));
      expect({ name, areas: [...areas] }).toEqual({ name, areas: [expect.any(String)] });
      for (const area of areas) registriesOf.set(area, new Set([...(registriesOf.get(area) ?? []), name]));
    }
    const split = [...registriesOf].filter(([, names]) => names.size > 1).map(([area, names]) => `${area}: ${[...names].join(', ')}`);
    expect(split).toEqual([]);
  });

  it('are the only place in src/ that spells a code out', () => {
    expect(scan.strays).toEqual([]);
  });

  it('keep the released meanings of the codes that were reused', () => {
    const meaning = (code: string): string[] => entries.filter((e) => e.code === code).map((e) => `${e.registry}.${e.key}`);
    expect(meaning('KP_CONFIG_E0100')).toEqual(['CONFIG_CODES.yamlSyntax']);
    expect(meaning('KP_PLAN_W0008')).toEqual(['PLAN_CODES.nameFamilyStrangers']);
  });
});
