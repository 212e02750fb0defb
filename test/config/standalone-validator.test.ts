/**
 * The build writes the shipped providers' keys.yaml validator as standalone code
 * (dist/config/keys-validator.cjs) so keyplan need not compile the schema on every run. It
 * must answer exactly as the schema compiled at run time: same verdicts, same errors (the
 * messages and positions of config diagnostics are built from them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildKeysSchema } from '../../src/config/schema-build.js';
import { keysSchemaAjv, STANDALONE_VALIDATOR_FILE } from '../../src/config/schema.js';
import { defaultRegistry } from '../../src/providers/registry.js';
import { REPO_ROOT } from '../helpers/cli.js';

const standalone = createRequire(import.meta.url)(path.join(REPO_ROOT, 'dist', 'config', STANDALONE_VALIDATOR_FILE)) as ValidateFunction;
const compiled = keysSchemaAjv().compile(buildKeysSchema(defaultRegistry));

function verdict(validate: ValidateFunction, value: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(structuredClone(value)) as boolean;
  return { valid, errors: structuredClone(validate.errors ?? []) };
}

const examples = readdirSync(path.join(REPO_ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(path.join(REPO_ROOT, 'examples', f), 'utf8')) as Record<string, unknown>);

const broken: unknown[] = [
  {},
  { version: 2, keys: 'none' },
  {
    version: 1,
    providers: { osc: { type: 'outscale', regoin: 'eu-west-2' } },
    keys: [{ name: 'a', kind: 'outscale.access_key', provider: 'osc', user_name: 5 }],
  },
  {
    version: 1,
    providers: { d: { type: 'dataos', url: 'http://example.com' } },
    keys: [{ name: 'b', kind: 'dataos.api_key', provider: 'd', duration: '5m', outputs: [] }],
  },
  {
    version: 1,
    providers: { o: { type: 'oci' } },
    keys: [{ name: 'c', kind: 'oci.api_key', provider: 'o', user: 'x', bits: 1000, outputs: [{ type: 'nope' }] }],
  },
  ...examples.map((e) => ({ ...e, keys: [...((e['keys'] as unknown[] | undefined) ?? []), { name: 'extra', kind: 'unknown.kind' }] })),
];

describe('the standalone keys.yaml validator of the build', () => {
  it('accepts the shipped examples, as the compiled schema does', () => {
    for (const example of examples) {
      expect(verdict(standalone, example)).toEqual(verdict(compiled, example));
      expect(verdict(standalone, example).valid).toBe(true);
    }
  });

  it('reports the same errors as the compiled schema for broken configs', () => {
    for (const value of broken) {
      const expected = verdict(compiled, value);
      expect(expected.valid).toBe(false);
      expect(verdict(standalone, value)).toEqual(expected);
    }
  });
});
