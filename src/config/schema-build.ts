/**
 * Assembles the one keys.yaml JSON Schema from the provider-independent base and the
 * registry's fragments: each provider block type, each kind's key fields and each output
 * type becomes one `if <discriminator> then <fragment>` branch, and the discriminators'
 * enums list them. The same function builds the schema ajv validates against and the
 * committed schemas/keys.schema.json that editors load (written at build time, checked by
 * a test), so the two cannot drift.
 */
import type { JsonSchema, KindModule } from '../providers/module.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { keysSchemaBase } from './schema-base.js';

type Mutable = Record<string, unknown>;

/** Fields every key entry has whatever its kind; a kind's fragment may narrow but not drop them. */
const COMMON_KEY_FIELDS = ['name', 'kind', 'provider', 'depends_on', 'rotation'] as const;

/** The complete keys.yaml schema for the providers in `registry`. */
export function buildKeysSchema(registry: ProviderRegistry): JsonSchema {
  const schema = structuredClone(keysSchemaBase) as Mutable;
  const definitions = schema['definitions'] as Record<string, Mutable>;
  const provider = definitions['provider'] as Mutable;
  const key = definitions['key'] as Mutable;
  const output = definitions['output'] as Mutable;

  discriminator(provider, 'type')['enum'] = registry.providers.map((p) => p.type);
  provider['allOf'] = registry.providers.map((p) => branch('type', p.type, closed(p.blockSchema, { type: true })));

  discriminator(key, 'kind')['enum'] = registry.kindModules.map((k) => k.spec.kind);
  key['allOf'] = registry.kindModules.map((k) => branch('kind', k.spec.kind, kindFields(k)));

  const outputs = [...registry.outputs.values()];
  const outputType = discriminator(output, 'type');
  outputType['enum'] = outputs.map((o) => o.type);
  outputType['description'] = outputs.map((o) => o.summary).join(' ');
  output['allOf'] = outputs.map((o) => branch('type', o.type, closed(o.schema, { type: true })));
  return schema;
}

/** The kind's fragment, closed, with the common fields allowed and outputs required when it returns a secret. */
function kindFields(kind: KindModule): JsonSchema {
  const common = Object.fromEntries(COMMON_KEY_FIELDS.map((f) => [f, true]));
  const fields = closed(kind.schema, common) as Mutable;
  if (kind.spec.sensitive.length === 0) return fields;
  // A secret shown once at creation must be written somewhere, or apply would throw it away.
  const properties = fields['properties'] as Mutable;
  const own = properties['outputs'];
  properties['outputs'] = {
    title: 'Outputs',
    description: `Where the secret goes when the key is created; at least one, since a ${kind.spec.kind} secret cannot be read back later.`,
    type: 'array',
    ...(typeof own === 'object' && own !== null ? own : {}),
    minItems: 1,
    errorMessage: `must list at least one output: ${kind.spec.kind} returns a secret (${kind.spec.sensitive.join(', ')}) that cannot be read back later, so it must be written somewhere`,
    ...(typeof own === 'object' && own !== null && 'errorMessage' in own ? { errorMessage: (own as Mutable)['errorMessage'] } : {}),
  };
  const required = (fields['required'] as string[] | undefined) ?? [];
  if (!required.includes('outputs')) fields['required'] = [...required, 'outputs'];
  return fields;
}

/** A fragment with `additionalProperties: false`, `extra` allowed first among its properties. */
function closed(fragment: JsonSchema, extra: Mutable): JsonSchema {
  const copy = structuredClone(fragment) as Mutable;
  copy['properties'] = { ...extra, ...((copy['properties'] as Mutable | undefined) ?? {}) };
  copy['additionalProperties'] = false;
  return copy;
}

function branch(field: string, value: string, then: JsonSchema): JsonSchema {
  return { if: { properties: { [field]: { const: value } }, required: [field] }, then };
}

function discriminator(definition: Mutable, field: string): Mutable {
  return (definition['properties'] as Record<string, Mutable>)[field] as Mutable;
}
