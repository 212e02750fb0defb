/**
 * The JSON Schema of a saved plan file (`keyplan plan --out`) and its validator. A plan
 * file is read back by `apply` and `show`, possibly on another machine and after being
 * passed around as a CI artifact, so everything in it is checked before it is trusted.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';

// ajv is loaded when a plan file is read, not by every command that imports this module.
const require = createRequire(import.meta.url);

const TEXT = { type: 'string', minLength: 1 } as const;
const ANY_TEXT = { type: 'string' } as const;
const STRINGS = { type: 'array', items: { type: 'string' } } as const;
const SHA256 = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } as const;
const ATTRIBUTES = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } as const;
const NULLABLE_ATTRIBUTES = { anyOf: [{ type: 'null' }, ATTRIBUTES] } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const STATUS = { enum: ['creating', 'active', 'inactive', 'deleting', 'failed'] } as const;
const SCOPE_PROPERTIES = { provider: TEXT, kind: TEXT, owner: TEXT } as const;

/**
 * JSON Schema (draft-07) of a saved plan file, format version 1. The envelope is closed;
 * the embedded Plan (src/model/plan.ts) is checked for the fields keyplan relies on but
 * left open, because the model gains fields (rotation phases, due dates) that a file
 * written by the same keyplan version must still be readable with. Files of another
 * keyplan version are refused by `apply` anyway.
 */
export const PLAN_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'keyplan saved plan',
  description: 'A plan saved by `keyplan plan --out`, applied by `keyplan apply FILE`. Holds no secrets.',
  type: 'object',
  required: ['format', 'formatVersion', 'keyplanVersion', 'config', 'state', 'live', 'options', 'changesPresent', 'plan'],
  additionalProperties: false,
  properties: {
    format: { const: 'keyplan-plan' },
    formatVersion: { const: 1 },
    keyplanVersion: TEXT,
    config: {
      type: 'object',
      required: ['file', 'sha256'],
      additionalProperties: false,
      properties: { file: TEXT, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
    },
    state: { type: 'object', required: ['lineage', 'serial'], additionalProperties: false, properties: { lineage: TEXT, serial: COUNT } },
    live: {
      type: 'object',
      required: ['sha256', 'scopes', 'keys'],
      additionalProperties: false,
      properties: {
        sha256: SHA256,
        scopes: { type: 'array', items: { $ref: '#/definitions/scope' } },
        keys: { type: 'array', items: { $ref: '#/definitions/liveDigest' } },
      },
    },
    options: { type: 'object', required: ['targets', 'rotate'], additionalProperties: false, properties: { targets: STRINGS, rotate: STRINGS } },
    changesPresent: { type: 'boolean' },
    plan: { $ref: '#/definitions/plan' },
  },
  definitions: {
    scope: { type: 'object', required: ['provider', 'kind', 'owner'], additionalProperties: false, properties: SCOPE_PROPERTIES },
    liveRef: { type: 'object', required: ['provider', 'kind', 'owner', 'id'], properties: { ...SCOPE_PROPERTIES, id: TEXT } },
    liveDigest: {
      type: 'object',
      required: ['provider', 'kind', 'owner', 'id', 'status', 'digest'],
      additionalProperties: false,
      properties: { ...SCOPE_PROPERTIES, id: TEXT, status: STATUS, expiresAt: TEXT, name: TEXT, digest: SHA256 },
    },
    // Timestamps are kept as the provider gave them (the planner treats one it cannot parse
    // as absent), so any string a plan holds, an empty one included, reads back.
    liveKey: {
      type: 'object',
      required: ['provider', 'kind', 'owner', 'id', 'status', 'attributes'],
      properties: { ...SCOPE_PROPERTIES, id: TEXT, status: STATUS, createdAt: ANY_TEXT, expiresAt: ANY_TEXT, attributes: ATTRIBUTES, marker: ANY_TEXT },
    },
    diagnostic: {
      type: 'object',
      required: ['severity', 'code', 'message'],
      properties: {
        severity: { enum: ['error', 'warning'] },
        code: TEXT,
        message: { type: 'string' },
        path: { type: 'string' },
        range: {
          type: 'object',
          required: ['file', 'line', 'column'],
          properties: { file: { type: 'string' }, line: COUNT, column: COUNT },
        },
      },
    },
    change: {
      type: 'object',
      required: [
        'address',
        'name',
        'kind',
        'provider',
        'owner',
        'action',
        'reason',
        'before',
        'after',
        'computed',
        'sensitive',
        'deletes',
        'dependsOn',
        'notes',
      ],
      properties: {
        address: TEXT,
        name: TEXT,
        kind: TEXT,
        provider: TEXT,
        owner: TEXT,
        // Format 1 once also allowed `import` and `no-op` here, and `summary.import` below.
        // The planner never made either, so no plan file has one: dropping them needs no
        // version bump. The summary is left open, so a file that still carries `import: 0` reads.
        action: { enum: ['create', 'update', 'rotate', 'delete', 'retire'] },
        // Reasons grow with the planner; the renderers show unknown ones as they are.
        reason: { type: 'string', pattern: '^[a-z][a-z_]*$' },
        order: { enum: ['create_before_delete', 'delete_before_create'] },
        before: NULLABLE_ATTRIBUTES,
        after: NULLABLE_ATTRIBUTES,
        computed: STRINGS,
        sensitive: STRINGS,
        deletes: { type: 'array', items: { $ref: '#/definitions/liveRef' } },
        deactivates: { type: 'array', items: { $ref: '#/definitions/liveRef' } },
        verifies: { $ref: '#/definitions/liveRef' },
        deactivateForMs: COUNT,
        dependsOn: STRINGS,
        overlapMs: COUNT,
        notes: STRINGS,
      },
    },
    plan: {
      type: 'object',
      required: ['formatVersion', 'changes', 'unmanaged', 'diagnostics', 'summary', 'errored'],
      properties: {
        formatVersion: { const: 1 },
        changes: { type: 'array', items: { $ref: '#/definitions/change' } },
        unmanaged: { type: 'array', items: { $ref: '#/definitions/liveKey' } },
        diagnostics: { type: 'array', items: { $ref: '#/definitions/diagnostic' } },
        summary: {
          type: 'object',
          required: ['create', 'rotate', 'update', 'delete'],
          properties: { create: COUNT, rotate: COUNT, update: COUNT, delete: COUNT },
        },
        errored: { type: 'boolean' },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** Checks a parsed document against the schema; one `path: message` line per problem, empty when valid. */
export function checkPlanFileShape(doc: unknown): string[] {
  // Compiled on first use: only apply FILE and show read plan files.
  const { Ajv } = require('ajv') as typeof import('ajv');
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(PLAN_FILE_SCHEMA);
  if (compiled(doc)) return [];
  return (compiled.errors ?? []).map(formatAjvError);
}

function formatAjvError(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).join('.');
  const extra = typeof error.params['additionalProperty'] === 'string' ? ` (${error.params['additionalProperty']})` : '';
  return `${path === '' ? '(root)' : path}: ${error.message ?? 'is invalid'}${extra}`;
}
