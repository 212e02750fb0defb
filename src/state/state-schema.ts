/**
 * The JSON Schema of the state document and its validator. `schemas/state.schema.json`
 * is this object written out (a snapshot test keeps the two equal), so editors and other
 * tools can validate a state file too.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, Options, ValidateFunction } from 'ajv';

/** ajv options of the state validator, at run time and in the build's standalone copy alike. */
// unicode: false measures a string's length in UTF-16 units instead of code points. The state
// schema's only length rule is minLength: 1, which any non-empty string passes either way;
// counting code points walked every string of a 10,000-key state once more. ajv 8 still
// honours the option but calls it deprecated: logger false keeps that notice off the build's
// output (the state validator has nothing else to log).
export const STATE_AJV_OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true, unicode: false, logger: false };

/**
 * File name, next to this module in dist/, of the state validator the build writes as
 * standalone code (scripts/generate-schema.js), so a run need not compile the schema.
 */
export const STATE_VALIDATOR_FILE = 'state-validator.cjs';

const require = createRequire(import.meta.url);

const NAME = { type: 'string', minLength: 1 } as const;
const TIME = { type: 'string', minLength: 1, description: 'RFC 3339' } as const;

const INSTANCE_PROPERTIES = {
  id: { ...NAME, description: 'The live key id (as the provider lists it).' },
  createdAt: TIME,
  attributes: {
    type: 'object',
    additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
  },
  verifiedAt: { ...TIME, description: 'When keyplan proved the credential authenticates.' },
  restoredAt: { ...TIME, description: 'When `keyplan rotation undo` made this key current again; rotation by age counts from here.' },
} as const;

/** JSON Schema (draft-07) of `KeyplanState`, format version 1. */
export const STATE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'keyplan state',
  description: 'Which live key belongs to which declared name, rotation bookkeeping and the journal of provider calls in flight. Holds no secrets.',
  type: 'object',
  required: ['version', 'lineage', 'serial', 'keys', 'intents'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    lineage: { ...NAME, description: 'UUID fixed when the state was first created.' },
    serial: { type: 'integer', minimum: 0, description: 'Bumped on every write.' },
    keys: { type: 'object', additionalProperties: { $ref: '#/definitions/managedKey' } },
    intents: { type: 'array', items: { $ref: '#/definitions/intent' } },
  },
  definitions: {
    instance: {
      type: 'object',
      required: ['id', 'createdAt', 'attributes'],
      additionalProperties: false,
      properties: INSTANCE_PROPERTIES,
    },
    retiringInstance: {
      type: 'object',
      required: ['id', 'createdAt', 'attributes', 'retireAfter'],
      additionalProperties: false,
      properties: {
        ...INSTANCE_PROPERTIES,
        retireAfter: TIME,
        deactivatedAt: { ...TIME, description: 'When keyplan made the key inactive.' },
        deleteAfter: { ...TIME, description: 'The end of the deactivation period: from then on the next apply deletes the key.' },
      },
    },
    pendingInstance: {
      type: 'object',
      required: ['id', 'createdAt', 'attributes', 'unverifiedSince'],
      additionalProperties: false,
      properties: {
        ...INSTANCE_PROPERTIES,
        unverifiedSince: TIME,
        verifyError: { type: 'string', description: 'A short, non-secret reason the last verification failed.' },
      },
    },
    managedKey: {
      type: 'object',
      required: ['name', 'kind', 'provider', 'owner', 'current', 'retiring'],
      additionalProperties: false,
      properties: {
        name: NAME,
        kind: NAME,
        provider: NAME,
        owner: NAME,
        current: { $ref: '#/definitions/instance' },
        pending: { $ref: '#/definitions/pendingInstance' },
        retiring: { type: 'array', items: { $ref: '#/definitions/retiringInstance' } },
      },
    },
    intent: {
      type: 'object',
      required: ['id', 'operation', 'name', 'kind', 'provider', 'owner', 'startedAt'],
      additionalProperties: false,
      properties: {
        id: NAME,
        operation: { enum: ['create', 'delete'] },
        name: NAME,
        kind: NAME,
        provider: NAME,
        owner: NAME,
        liveId: NAME,
        match: {
          type: 'object',
          required: ['attribute', 'value'],
          additionalProperties: false,
          properties: { attribute: NAME, value: NAME },
          description: 'For a create whose live id is only known afterwards: the attribute value it is found by (KindSpec.matchAttribute).',
        },
        startedAt: TIME,
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/**
 * Checks a parsed document against the schema and the rule the schema cannot express
 * (each record's `name` equals its map key). Returns one `path: message` line per problem;
 * empty when the document is a valid state.
 */
export function checkStateShape(doc: unknown): string[] {
  // Loaded or compiled on first use: most commands that import this module never read a state.
  compiled ??= standaloneValidator() ?? stateSchemaAjv().compile(STATE_SCHEMA);
  if (!compiled(doc)) return (compiled.errors ?? []).map(formatAjvError);
  const problems: string[] = [];
  const keys = (doc as { keys: Record<string, { name: string }> }).keys;
  for (const name in keys) {
    const record = keys[name] as { name: string };
    if (record.name !== name) problems.push(`keys.${name}.name: must equal its key "${name}", got "${record.name}"`);
  }
  return problems;
}

/** An ajv instance with the state validator's options (ajv is loaded here, on first use). */
export function stateSchemaAjv(options: Options = {}): AjvClass {
  const { Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv({ ...STATE_AJV_OPTIONS, ...options });
}

/** The build's standalone validator, or undefined when running from source (tests). */
function standaloneValidator(): ValidateFunction | undefined {
  try {
    return require(`./${STATE_VALIDATOR_FILE}`) as ValidateFunction;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function formatAjvError(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const extra = typeof error.params['additionalProperty'] === 'string' ? ` (${error.params['additionalProperty']})` : '';
  return `${path === '' ? '(root)' : path}: ${error.message ?? 'is invalid'}${extra}`;
}
