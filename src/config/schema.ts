/**
 * Loads schemas/keys.schema.json (the same file users point their editor at) and compiles
 * it once with ajv. The file is read at run time relative to this module: both
 * `src/config/*.ts` (vitest) and `dist/config/*.js` (built) sit two levels below the
 * repository root, so one relative URL serves both.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import { InternalError } from '../errors/errors.js';
import type { KeysFile } from './types.js';

/** Location of the keys.yaml JSON Schema. */
export const KEYS_SCHEMA_URL = new URL('../../schemas/keys.schema.json', import.meta.url);

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

let compiled: ValidateFunction<KeysFile> | undefined;

/** Reads and parses the schema file. */
export function readKeysSchema(): SchemaObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(KEYS_SCHEMA_URL, 'utf8'));
  } catch (cause) {
    throw new InternalError(`cannot read the config schema ${KEYS_SCHEMA_URL.pathname}`, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InternalError(`Expected ${KEYS_SCHEMA_URL.pathname} to hold a JSON object`);
  }
  return parsed as SchemaObject;
}

function validator(): ValidateFunction<KeysFile> {
  if (compiled === undefined) {
    // verbose: errors carry parentSchema (for errorMessage and field suggestions) and data.
    // logger false: the config layer never writes to the console.
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, logger: false });
    for (const keyword of MESSAGE_KEYWORDS) ajv.addKeyword(keyword);
    compiled = ajv.compile<KeysFile>(readKeysSchema());
  }
  return compiled;
}

/** Validates a parsed config value against keys.schema.json. */
export function validateAgainstSchema(value: unknown): SchemaResult {
  const validate = validator();
  if (validate(value)) return { file: value, errors: [] };
  return { errors: validate.errors ?? [] };
}
