import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConfigText } from '../../src/config/load.js';
import { readFileSync } from 'node:fs';
import { buildKeysSchema } from '../../src/config/schema-build.js';
import { validateAgainstSchema } from '../../src/config/schema.js';
import { OCI_API_KEY_DEFAULT_BITS } from '../../src/providers/oci/kind-api-key.js';
import { ociProvider } from '../../src/providers/oci/provider.js';
import { defaultRegistry } from '../../src/providers/registry.js';

type Json = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const schema: Json = buildKeysSchema(defaultRegistry);
const definitions = schema['definitions'] as Record<string, Json>;

/** Follows a local `$ref` (`#/definitions/x`). */
function deref(node: Json): Json {
  const ref = node['$ref'];
  return typeof ref === 'string' ? (definitions[ref.replace('#/definitions/', '')] as Json) : node;
}

/** Every `properties` entry in the schema, with its JSON path. */
function allProperties(node: unknown, path: string, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) node.forEach((n, i) => allProperties(n, `${path}[${i}]`, out));
  if (!isObject(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) for (const [name, prop] of Object.entries(value)) out.push([`${path}.${name}`, prop]);
    allProperties(value, `${path}.${key}`, out);
  }
  return out;
}

describe('the keys.yaml schema', () => {
  it('is the committed schemas/keys.schema.json that editors load (npm run build writes it)', () => {
    const committed = readFileSync(new URL('../../schemas/keys.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it('compiles in ajv strict mode and accepts a minimal config', () => {
    expect(validateAgainstSchema({ version: 1 }, defaultRegistry).errors).toEqual([]);
  });

  it('gives every property a title and a description (editors show them)', () => {
    const missing = allProperties(schema, '$')
      // `true` re-admits a common field inside a kind's if/then block; it is described outside.
      .filter(([path, prop]) => prop !== true && !path.includes('.if.'))
      .filter(([, prop]) => {
        const own = prop as Json;
        const target = deref(own);
        return !(own['title'] ?? target['title']) || !(own['description'] ?? target['description']);
      })
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('lists every registered kind, once in the enum and once as a branch', () => {
    const key = definitions['key'] as Json;
    const enumKinds = ((key['properties'] as Json)['kind'] as Json)['enum'];
    const thenKinds = (key['allOf'] as Json[]).map((b) => (((b['if'] as Json)['properties'] as Json)['kind'] as Json)['const']);
    const kinds = Object.keys(defaultRegistry.kinds).sort();
    expect([...(enumKinds as string[])].sort()).toEqual(kinds);
    expect([...(thenKinds as string[])].sort()).toEqual(kinds);
  });

  it('documents the same defaults the resolver fills in', () => {
    // Blocks are found by their `if` constant: each kind or provider type adds one, anywhere in the list.
    const blockFor = (definition: string, field: string, value: string): Json =>
      ((definitions[definition] as Json)['allOf'] as Json[]).find((b) => (((b['if'] as Json)['properties'] as Json)[field] as Json)['const'] === value) as Json;
    const oci = blockFor('provider', 'type', 'oci');
    const props = (oci['then'] as Json)['properties'] as Record<string, Json>;
    expect({ config_file: props['config_file']?.['default'], profile: props['profile']?.['default'] }).toEqual(ociProvider.blockDefaults);
    const ociKey = blockFor('key', 'kind', 'oci.api_key');
    expect((((ociKey['then'] as Json)['properties'] as Json)['bits'] as Json)['default']).toBe(OCI_API_KEY_DEFAULT_BITS);
  });
});

describe('robustness', () => {
  const options = { env: {}, checkEnv: true };

  it('never throws on arbitrary text; it reports diagnostics instead', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = checkConfigText(text, 'keys.yaml', '/repo', options);
        for (const d of result.diagnostics) expect(d.range?.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary YAML-shaped data', () => {
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        value,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom(
            'version',
            'keys',
            'name',
            'kind',
            'provider',
            'user',
            'depends_on',
            'outputs',
            'providers',
            'type',
            'path',
            'passphrase',
            'env',
            'rotation',
            'max_age',
            'overlap',
          ),
          tie('node'),
          { maxKeys: 4 },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (data) => {
        checkConfigText(JSON.stringify(data), 'keys.yaml', '/repo', options);
      }),
      { numRuns: 500 },
    );
  });
});
