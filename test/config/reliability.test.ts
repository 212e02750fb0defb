/**
 * Config input that used to slip through or crash: a NUL byte in a path, YAML tags that
 * were dropped silently, and nesting deep enough to overflow the parser's stack. Each is
 * one diagnostic naming the file, line and column (and the field where there is one).
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_CODES } from '../../src/config/codes.js';
import { checkConfigText } from '../../src/config/load.js';
import { HEADER, FULL_ENV, ociKey, problems, yaml } from './helpers.js';

const codes = (text: string): string[] => checkConfigText(text, 'keys.yaml', '/repo', { env: FULL_ENV, checkEnv: true }).diagnostics.map((d) => d.code);

describe('paths', () => {
  it('refuses a NUL byte in an output path, naming the output', () => {
    const text = yaml(...HEADER, ...ociKey('a', '    outputs:', '      - { type: file, path: "out/a.pem" }', '      - { type: file, path: "out/\\0b.pem" }'));
    expect(problems(text)).toEqual(['keys.yaml:12:29: keys[0].outputs[1].path: must not contain a NUL byte (\\0); no file system accepts one in a file name']);
    expect(codes(text)).toEqual([CONFIG_CODES.nulInPath]);
  });

  it('refuses a NUL byte in the state path', () => {
    const text = yaml('version: 1', 'state: { backend: local, path: "st\\0ate.json" }', ...HEADER.slice(1), ...ociKey('a'));
    expect(problems(text)).toEqual(['keys.yaml:2:32: state.path: must not contain a NUL byte (\\0); no file system accepts one in a file name']);
  });
});

describe('YAML tags', () => {
  it('reports each tag keyplan does not resolve, where it stands, instead of dropping it', () => {
    const text = yaml(
      ...HEADER,
      ...ociKey('a', '    description: !!python/object:os.system x', '    outputs: !foo', '      - { type: file, path: out/a.pem }'),
    );
    expect(problems(text)).toEqual([
      'keys.yaml:10:18: YAML tag !!python/object:os.system is not one keyplan reads; remove it (keys.yaml holds plain strings, numbers, booleans, lists and mappings)',
      'keys.yaml:11:14: YAML tag !foo is not one keyplan reads; remove it (keys.yaml holds plain strings, numbers, booleans, lists and mappings)',
    ]);
    expect(codes(text)).toEqual([CONFIG_CODES.yamlUnknownTag, CONFIG_CODES.yamlUnknownTag]);
  });

  it('still reads the standard tags', () => {
    expect(problems(yaml(...HEADER, ...ociKey('a', '    bits: !!int 4096')))).toEqual([]);
  });
});

describe('deep nesting', () => {
  const message = 'YAML nesting deeper than 100 levels (lists and mappings inside each other); keys.yaml needs only a few';

  it('reports 10000 nested flow lists at the place the parser gave up, without crashing', () => {
    const [only, ...rest] = problems(yaml(...HEADER.slice(0, 3), `keys: ${'['.repeat(10_000)}${']'.repeat(10_000)}`));
    expect(rest).toEqual([]);
    expect(only).toMatch(new RegExp(`^keys\\.yaml:4:\\d+: ${message.replace(/[()]/g, '\\$&')}$`));
    expect(only).not.toMatch(/^keys\.yaml:1:1:/);
    expect(only).not.toContain('call stack');
  });

  it('reports nesting the parser survives at the first level too deep', () => {
    // The top-level mapping is level 1, the list on line 5 level 2, so level 101 is the list on line 104.
    const lines = Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- `);
    expect(problems(yaml(...HEADER, ...lines, `${'  '.repeat(150)}x`))).toEqual([`keys.yaml:104:199: ${message}`]);
    expect(codes(yaml(...HEADER.slice(0, 3), `keys: ${'['.repeat(101)}${']'.repeat(101)}`))).toEqual([CONFIG_CODES.yamlTooDeep]);
  });

  it('accepts nesting up to the limit as far as YAML goes', () => {
    const text = yaml(...HEADER.slice(0, 3), `keys: ${'['.repeat(99)}${']'.repeat(99)}`);
    expect(codes(text)).not.toContain(CONFIG_CODES.yamlTooDeep);
  });
});
