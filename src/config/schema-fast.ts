/**
 * A second form of the keys.yaml schema that accepts exactly the same documents and only
 * answers yes or no, for the common case of a valid file: the build compiles it into its own
 * standalone validator (keys-validator-fast.cjs), and only a file it refuses goes through the
 * full validator, whose errors become the diagnostics (schema.ts).
 *
 * The full schema picks each kind's fields (and each output type's) with one `if`/`then`
 * per kind: every key is tried against every kind, and each miss builds an error object that
 * is then thrown away. Here those become a `oneOf` keyed by ajv's `discriminator`, which looks
 * at `kind` (or `type`) once and checks only the matching branch; annotations
 * (titles, descriptions, message keywords) are dropped. Validating 2,000 keys took 43 ms of
 * CPU with the full validator and 24 ms with this one, measured alone; in a plan, where this
 * second file must load too, the config phase gained 7 ms at 2,000 keys and 16 ms at 10,000.
 */

type Schema = Record<string, unknown>;

/** ajv options of the fast validator: the first error is enough, and none is shown. */
export const FAST_AJV_OPTIONS = { allErrors: false, verbose: false, discriminator: true } as const;

/** File name, next to schema.js in dist/, of the fast validator the build generates. */
export const FAST_VALIDATOR_FILE = 'keys-validator-fast.cjs';

const ANNOTATIONS = new Set(['title', 'description', 'errorMessage', 'patternErrorMessage']);
/** Keywords whose values are data, not schemas: copied as they are. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required']);
/** Keywords whose values map names the user chose to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'definitions']);

/** The fast form of `schema` (the output of buildKeysSchema). Throws when its shape is not the one this rewrites. */
export function fastKeysSchema(schema: Schema): Schema {
  const lean = withoutAnnotations(schema) as Schema;
  const definitions = { ...(lean['definitions'] as Record<string, Schema>) };
  definitions['key'] = discriminated(definitions['key'], 'kind');
  definitions['output'] = discriminated(definitions['output'], 'type');
  return { ...lean, definitions };
}

/**
 * `allOf: [{ if: { properties: { TAG: { const: V } }, required: [TAG] }, then: T }, …]` becomes
 * `oneOf: [T with TAG: { const: V } required, …]` under `discriminator: { propertyName: TAG }`.
 * The base schema keeps its own check of TAG (an enum of the values), so a value no branch
 * names is refused by both forms.
 */
function discriminated(definition: Schema | undefined, tag: string): Schema {
  if (definition === undefined) throw new Error(`fastKeysSchema: the schema has no definition for the ${tag} branches`);
  const { allOf, ...base } = definition;
  if (!Array.isArray(allOf) || allOf.length === 0) throw new Error(`fastKeysSchema: expected an allOf of if/then by ${tag}`);
  const tags = (base['properties'] as Record<string, Schema> | undefined)?.[tag]?.['enum'];
  if (!Array.isArray(tags) || !(base['required'] as unknown[] | undefined)?.includes(tag)) {
    throw new Error(`fastKeysSchema: expected ${tag} to be required and an enum`);
  }
  const oneOf = allOf.map((entry: Schema) => {
    const value = branchValue(entry, tag);
    const then = entry['then'] as Schema;
    const properties = { ...(then['properties'] as Record<string, unknown> | undefined), [tag]: { const: value } };
    const required = [...new Set([...((then['required'] as string[] | undefined) ?? []), tag])];
    return { ...then, properties, required };
  });
  const named = oneOf.map((b) => ((b['properties'] as Record<string, Schema>)[tag] as Schema)['const']);
  if (named.length !== tags.length || !tags.every((t) => named.includes(t))) {
    throw new Error(`fastKeysSchema: the ${tag} branches (${named.join(', ')}) are not the ${tag} enum (${tags.join(', ')})`);
  }
  return { ...base, discriminator: { propertyName: tag }, oneOf };
}

/** V of an entry `{ if: { properties: { TAG: { const: V } }, required: [TAG] }, then }`, checked to be nothing more. */
function branchValue(entry: Schema, tag: string): unknown {
  const condition = entry['if'] as Schema | undefined;
  const properties = condition?.['properties'] as Record<string, Schema> | undefined;
  const only = (o: object | undefined, keys: string[]): boolean => o !== undefined && Object.keys(o).sort().join() === keys.sort().join();
  const test = properties?.[tag];
  const required = condition?.['required'];
  if (
    !only(entry, ['if', 'then']) ||
    !only(condition, ['properties', 'required']) ||
    !only(properties, [tag]) ||
    !only(test, ['const']) ||
    !Array.isArray(required) ||
    required.length !== 1 ||
    required[0] !== tag
  ) {
    throw new Error(`fastKeysSchema: expected each allOf entry to be if ${tag} is a value then a schema`);
  }
  return (test as Schema)['const'];
}

function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  const out: Schema = {};
  for (const [keyword, inner] of Object.entries(value)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (DATA_KEYWORDS.has(keyword)) out[keyword] = inner;
    else if (SCHEMA_MAPS.has(keyword)) out[keyword] = mapValues(inner as Record<string, unknown>, withoutAnnotations);
    else out[keyword] = withoutAnnotations(inner);
  }
  return out;
}

function mapValues(map: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([name, v]) => [name, f(v)]));
}
