/**
 * The keys.yaml JSON Schema as ajv validates it: built from the registry's fragments
 * (schema-build.ts) and compiled once per registry. schemas/keys.schema.json, the file
 * editors load, is the same schema for the shipped providers, written at build time.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ProviderRegistry } from '../providers/registry.js';
import { buildKeysSchema } from './schema-build.js';
import type { KeysFile } from './types.js';

/**
 * Annotation keywords the schema carries for editors (VS Code and yaml-language-server
 * show them instead of their generic messages); ajv must be told they exist because the
 * schema is compiled in strict mode, and the error formatter uses them too.
 */
export const MESSAGE_KEYWORDS = ['errorMessage', 'patternErrorMessage'] as const;

/** Result of checking a value against the schema. */
export interface SchemaResult {
  /** The value, typed, when it satisfies the schema. */
  readonly file?: KeysFile;
  /** ajv's errors (all of them: allErrors), empty when valid. */
  readonly errors: readonly ErrorObject[];
}

const compiled = new WeakMap<ProviderRegistry, ValidateFunction<KeysFile>>();

function validator(registry: ProviderRegistry): ValidateFunction<KeysFile> {
  let validate = compiled.get(registry);
  if (validate === undefined) {
    // verbose: errors carry parentSchema (for errorMessage and field suggestions) and data.
    // logger false: the config layer never writes to the console.
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, logger: false });
    for (const keyword of MESSAGE_KEYWORDS) ajv.addKeyword(keyword);
    validate = ajv.compile<KeysFile>(buildKeysSchema(registry));
    compiled.set(registry, validate);
  }
  return validate;
}

/** Validates a parsed config value against the keys.yaml schema of `registry`'s providers. */
export function validateAgainstSchema(value: unknown, registry: ProviderRegistry): SchemaResult {
  const validate = validator(registry);
  if (validate(value)) return { file: value, errors: [] };
  return { errors: validate.errors ?? [] };
}
