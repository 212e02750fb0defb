/**
 * The fast form of the keys.yaml schema must accept exactly the documents the full schema
 * accepts: the examples, and each of them changed in many random ways (a kind or output
 * type swapped, fields dropped, added, or given values of another type).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultRegistry } from '../providers/registry.js';
import { keysSchemaAjv } from './schema.js';
import { buildKeysSchema } from './schema-build.js';
import { FAST_AJV_OPTIONS, fastKeysSchema } from './schema-fast.js';

const schema = buildKeysSchema(defaultRegistry);
const full = keysSchemaAjv().compile(schema);
const fast = keysSchemaAjv(FAST_AJV_OPTIONS).compile(fastKeysSchema(schema));

const EXAMPLES = [
  'keys.yaml',
  'examples/oci.yaml',
  'examples/oci-bds.yaml',
  'examples/outscale.yaml',
  'examples/dataos.yaml',
  'examples/sandbox-quickstart.yaml',
];
const documents = EXAMPLES.map((file) => parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as Record<string, unknown>);

const kinds = (schema as { definitions: { key: { properties: { kind: { enum: string[] } } } } }).definitions.key.properties.kind.enum;
const types = (schema as { definitions: { output: { properties: { type: { enum: string[] } } } } }).definitions.output.properties.type.enum;
const FIELDS = [
  'name',
  'kind',
  'provider',
  'user',
  'user_name',
  'cluster',
  'token_name',
  'duration',
  'passphrase',
  'outputs',
  'rotation',
  'depends_on',
  'bits',
  'state',
  'expires_in',
  'alias',
  'bogus',
];
const OUTPUT_FIELDS = ['type', 'path', 'profile', 'command', 'mount', 'repository', 'secret', 'name', 'format', 'key_file', 'bogus'];
const VALUES = fc.oneof(
  fc.constantFrom('x', 'ocid1.user.oc1..a', '720h', 'none', '', 'out/a.pem'),
  fc.integer(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ env: 'PASSPHRASE' }),
);

type Change =
  | { op: 'kind'; value: string }
  | { op: 'drop'; field: string }
  | { op: 'set'; field: string; value: unknown }
  | { op: 'output'; type: string; fields: Record<string, unknown> };

/** One change to a key of the document. */
const change = fc.oneof(
  fc.record({ op: fc.constant('kind' as const), value: fc.oneof(fc.constantFrom(...kinds), fc.constant('no.such_kind')) }),
  fc.record({ op: fc.constant('drop' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({ op: fc.constant('set' as const), field: fc.constantFrom(...FIELDS), value: VALUES }),
  fc.record({
    op: fc.constant('output' as const),
    type: fc.oneof(fc.constantFrom(...types), fc.constant('no_such_type')),
    fields: fc.dictionary(fc.constantFrom(...OUTPUT_FIELDS), VALUES, { maxKeys: 3 }),
  }),
);

function changed(doc: Record<string, unknown>, keyIndex: number, changes: readonly Change[]): Record<string, unknown> {
  const copy = structuredClone(doc);
  const keys = copy['keys'] as Record<string, unknown>[];
  const key = keys[keyIndex % keys.length] as Record<string, unknown>;
  for (const c of changes) {
    if (c.op === 'kind') key['kind'] = c.value;
    else if (c.op === 'drop') delete key[c.field];
    else if (c.op === 'set') key[c.field] = c.value;
    else key['outputs'] = [...(Array.isArray(key['outputs']) ? key['outputs'] : []), { ...c.fields, type: c.type }];
  }
  return copy;
}

describe('fastKeysSchema', () => {
  it('accepts every example the full schema accepts', () => {
    for (const doc of documents) {
      expect(full(doc)).toBe(true);
      expect(fast(doc)).toBe(true);
    }
  });

  it('accepts and refuses exactly what the full schema does, for the examples changed at random', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(documents.length - 1), fc.nat(), fc.array(change, { minLength: 1, maxLength: 3 }), (docIndex, keyIndex, changes) => {
        const doc = changed(documents[docIndex] as Record<string, unknown>, keyIndex, changes as Change[]);
        const verdict = full(doc);
        if (verdict) accepted++;
        else refused++;
        expect(fast(doc)).toBe(verdict);
      }),
      { numRuns: 3000 },
    );
    // Both verdicts occur, so the agreement means something.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });

  it('refuses to rewrite a schema whose branches are not one if/then per tag value', () => {
    const odd = structuredClone(schema) as { definitions: { key: { allOf: Record<string, unknown>[] } } };
    odd.definitions.key.allOf.push({ if: { properties: { name: { const: 'x' } }, required: ['name'] }, then: {} });
    expect(() => fastKeysSchema(odd as unknown as Record<string, unknown>)).toThrow(/allOf entry/);
  });
});
