/**
 * The keys.yaml JSON Schema as ajv validates it: built from the registry's fragments
 * (schema-build.ts) and compiled once per registry. schemas/keys.schema.json, the file
 * editors load, is the same schema for the shipped providers, written at build time.
 *
 * Compiling the schema costs a few hundred milliseconds, on every run. So the build also
 * writes the compiled validator of the shipped providers' schema as standalone code
 * (dist/config/keys-validator.cjs, see scripts/generate-schema.js), and the default
 * registry uses it; ajv itself is then only loaded for other registries (tests' fakes).
 */
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { defaultRegistry, type ProviderRegistry } from '../providers/registry.js';
import { buildKeysSchema } from './schema-build.js';
import { FAST_VALIDATOR_FILE } from './schema-fast.js';
import type { KeysFile } from './types.js';

/**
 * Annotation keywords the schema carries for editors (VS Code and yaml-language-server
 * show them instead of their generic messages); ajv must be told they exist because the
 * schema is compiled in strict mode, and the error formatter uses them too.
 */
export const MESSAGE_KEYWORDS = ['errorMessage', 'patternErrorMessage'] as const;

/**
 * The ajv options of the keys.yaml validator, compiled at run time or at build time alike.
 * verbose: errors carry parentSchema (for errorMessage and field suggestions) and data.
 * logger false: the config layer never writes to the console.
 */
export const AJV_OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true, logger: false };

/** File name, next to this module in dist/, of the validator the build generates. */
export const STANDALONE_VALIDATOR_FILE = 'keys-validator.cjs';

/** Result of checking a value against the schema. */
export interface SchemaResult {
  /** The value, typed, when it satisfies the schema. */
  readonly file?: KeysFile;
  /** ajv's errors (all of them: allErrors), empty when valid. */
  readonly errors: readonly ErrorObject[];
}

const require = createRequire(import.meta.url);
const compiled = new WeakMap<ProviderRegistry, ValidateFunction<KeysFile>>();

/** An ajv instance set up for the keys.yaml schema (ajv is loaded here, on first use). */
export function keysSchemaAjv(options: Options = {}): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ ...AJV_OPTIONS, ...options });
  for (const keyword of MESSAGE_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

/** A standalone validator the build wrote, or undefined when running from source (tests) or it is missing. */
function standaloneValidator(file: string): ValidateFunction<KeysFile> | undefined {
  try {
    const loaded = require(`./${file}`) as { default?: ValidateFunction<KeysFile> } | ValidateFunction<KeysFile>;
    return typeof loaded === 'function' ? loaded : loaded.default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function validator(registry: ProviderRegistry): ValidateFunction<KeysFile> {
  let validate = compiled.get(registry);
  if (validate === undefined) {
    validate =
      (registry === defaultRegistry ? standaloneValidator(STANDALONE_VALIDATOR_FILE) : undefined) ??
      keysSchemaAjv().compile<KeysFile>(buildKeysSchema(registry));
    compiled.set(registry, validate);
  }
  return validate;
}

// The build's yes-or-no validator of the shipped schema (schema-fast.ts); null once looked for and missing.
let fastValidator: ValidateFunction<KeysFile> | null | undefined;

/**
 * Validates a parsed config value against the keys.yaml schema of `registry`'s providers. A
 * build checks the shipped schema's fast form first, which accepts the same documents; only
 * a file it refuses is validated again for the errors.
 */
export function validateAgainstSchema(value: unknown, registry: ProviderRegistry): SchemaResult {
  if (registry === defaultRegistry) {
    fastValidator ??= standaloneValidator(FAST_VALIDATOR_FILE) ?? null;
    if (fastValidator?.(value) === true) return { file: value as KeysFile, errors: [] };
  }
  const validate = validator(registry);
  if (validate(value)) return { file: value, errors: [] };
  return { errors: validate.errors ?? [] };
}
