/**
 * The fast reader must be invisible: for every file it reads, the config value and the
 * file:line:column of every diagnostic are those the `yaml` library gives; every file
 * outside its subset is left to the library (and so still gets the library's errors).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Path } from './paths.js';
import { parseFastYaml } from './yaml-fast.js';
import { parseWithLibrary, parseYamlSource, type SourceDoc } from './yaml-source.js';

/** Every path into `value`, and one step off each (a missing field or item). */
function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at, [...at, 'missing'], [...at, 7]];
  if (value !== null && typeof value === 'object') {
    for (const [k, child] of Object.entries(value)) out.push(...paths(child, [...at, Array.isArray(value) ? Number(k) : k]));
  }
  return out;
}

const positions = (doc: SourceDoc, value: unknown): string[] =>
  paths(value).flatMap((p) => (['value', 'key'] as const).map((anchor) => `${JSON.stringify(p)} ${anchor}: ${JSON.stringify(doc.locate(p, anchor))}`));

/** Asserts the fast reader reads `text` and agrees with the library on its value and every position. */
function expectSameAsLibrary(text: string): void {
  expect(parseFastYaml(text), `not read by the fast reader:\n${text}`).toBeDefined();
  const fast = parseYamlSource(text, 'keys.yaml');
  const library = parseWithLibrary(text, 'keys.yaml');
  expect(library.syntaxErrors).toEqual([]);
  expect(fast.value).toEqual(library.value);
  expect(positions(fast, fast.value)).toEqual(positions(library, library.value));
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('the fast YAML reader', () => {
  it('reads keys.yaml files as the library does: values and positions', () => {
    expectSameAsLibrary(
      lines(
        '# keyplan config',
        'version: 1',
        'state: { backend: local, path: state.json }   # local state',
        'providers:',
        '  osc: { type: outscale, endpoint: "http://127.0.0.1:8080/api", region: eu-west-2 }',
        "  dataos: {type: dataos, url: 'https://x.invalid/it''s', token_env: TOKEN}",
        'defaults:',
        '  rotation:',
        '    every: 90d',
        '',
        'keys:',
        '- name: a',
        '  kind: outscale.access_key',
        '  provider: osc',
        '  user_name:',
        '  tags: [ a, "b c", [], {} ]',
        '  outputs:',
        '    - { type: file, path: out/a#1.secret }',
        '    -   type: env_file',
        '        path: .env',
        '  enabled: true',
        '  count: 12',
        '  none: ~',
      ),
    );
    expectSameAsLibrary(
      lines('keys:', '  -', '    name: a', '  - - x', '    - y', '  - "quoted"  # note', 'extra: plain text with spaces, commas and {braces}'),
    );
  });

  it('reads the repository’s example configs as the library does', () => {
    const dir = path.join(import.meta.dirname, '..', '..', 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      if (parseFastYaml(text) !== undefined) expectSameAsLibrary(text);
    }
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a float', 'a: 1.5\n'],
    ['a hex number', 'a: 0x1F\n'],
    ['a negative number', 'a: -3\n'],
    ['an escape', 'a: "line\\nbreak"\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate flow key', 'a: { b: 1, b: 2 }\n'],
    ['a tab', 'a:\tb\n'],
    ['CRLF line ends', 'a: b\r\n'],
    ['a second document', 'a: b\n---\nc: d\n'],
    ['a flow mapping over two lines', 'a: { b: 1,\n  c: 2 }\n'],
    ['a trailing comma', 'a: [1, 2,]\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an empty item', 'a:\n  -\n  - b\n'],
    ['a quoted key', '"a": 1\n'],
    ['an unclosed quote', 'a: "b\nc: d\n'],
    ['an empty document', '# nothing\n'],
  ])('leaves %s to the library', (_what, text) => {
    expect(parseFastYaml(text)).toBeUndefined();
    expect(parseYamlSource(text, 'keys.yaml')).toMatchObject({ value: parseWithLibrary(text, 'keys.yaml').value });
  });

  it('agrees with the library on generated documents in mixed block and flow styles', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).filter((w) => !/^(?:true|false|null)$/.test(w));
    const scalar = fc.oneof(
      word,
      fc.constantFrom(
        '720h',
        'http://127.0.0.1:80/x',
        'a b',
        'out/k#1',
        'x{y}',
        '~',
        'true',
        'FALSE',
        '0',
        '42',
        '',
        'Null',
        'nan',
        'e5',
        'Infinity',
        'no',
        'f',
      ),
      fc.integer({ min: 0, max: 10_000 }),
    );
    type Value = string | number | Value[] | { [k: string]: Value };
    const { value } = fc.letrec<{ value: Value }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(word, tie('value'), { maxKeys: 3 }),
      ),
    }));
    const doc = fc.dictionary(word, value, { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(doc, fc.integer({ min: 0, max: 1000 }), (d, seed) => {
        expectSameAsLibrary(render(d, seed));
      }),
      { numRuns: 300 },
    );
  });
});

/** Renders a value as YAML, choosing block or flow style, quoting and comments from `seed`. */
function render(doc: Record<string, unknown>, seed: number): string {
  let n = seed;
  const pick = (k: number): number => ((n = (n * 1103515245 + 12345) % 2147483648), n % k);
  const scalar = (v: unknown, flow: boolean): string => {
    if (typeof v === 'number') return String(v);
    const s = String(v);
    const needsQuotes = s === '' || /^[~0-9]|^(?:true|false|null|TRUE|FALSE)$/i.test(s) || (flow && /[{}[\],]/.test(s)) || s.includes(' #');
    if (needsQuotes || pick(4) === 0) return pick(2) === 0 ? `"${s}"` : `'${s.replaceAll("'", "''")}'`;
    return s;
  };
  const flow = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
    if (v !== null && typeof v === 'object')
      return `{ ${Object.entries(v)
        .map(([k, c]) => `${k}: ${flow(c)}`)
        .join(', ')} }`;
    return scalar(v, true);
  };
  const out: string[] = [];
  const block = (v: unknown, indent: number, lead: string): void => {
    const pad = ' '.repeat(indent);
    const isEmpty = v !== null && typeof v === 'object' && Object.keys(v).length === 0;
    if (v === null || typeof v !== 'object' || isEmpty || (indent > 0 && pick(3) === 0)) {
      out[out.length - 1] += `${lead}${flow(v)}${pick(5) === 0 ? '  # note' : ''}`;
      return;
    }
    if (Array.isArray(v)) {
      for (const item of v) {
        out.push(`${pad}-`);
        block(item, indent + 2, ' ');
      }
      return;
    }
    for (const [k, c] of Object.entries(v)) {
      if (pick(6) === 0) out.push(`${pad}# comment`);
      out.push(`${pad}${k}:`);
      block(c, indent + 2, ' ');
    }
  };
  out.push('');
  block(doc, 0, '');
  return `${out.filter((l) => l !== '').join('\n')}\n`;
}
