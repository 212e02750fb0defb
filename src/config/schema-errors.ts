/**
 * Turns ajv's errors into one plain-English diagnostic per real problem, each placed on
 * the YAML node it is about. ajv reports the same problem several ways (an `if` error
 * beside each failing `then`, `propertyNames` beside the name's own error, an `enum`
 * error beside a `type` error); those echoes are dropped here.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../errors/diagnostic.js';
import { CONFIG_CODES } from './codes.js';
import { formatPath, pointerToPath, type Path } from './paths.js';
import { asRecord } from './raw.js';
import { suggest } from './suggest.js';
import type { Anchor, SourceDoc } from './yaml-source.js';

/** Diagnostics from the schema, plus the paths they are about. */
export interface SchemaDiagnostics {
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Paths of values the schema rejected. Semantic checks leave values at or below these
   * paths alone, so one mistake is not reported twice.
   */
  readonly rejected: readonly Path[];
}

// Errors that only restate another error of the same validation.
const ECHO_KEYWORDS = new Set(['if', 'propertyNames', 'allOf']);
// Keywords about the value itself, which an error's `type` problem makes moot.
const STRUCTURAL_KEYWORDS = new Set(['required', 'additionalProperties', 'type']);

/** Maps ajv errors to diagnostics. `value` is the validated data (to tell lists from mappings). */
export function schemaDiagnostics(errors: readonly ErrorObject[], value: unknown, source: SourceDoc): SchemaDiagnostics {
  let relevant = errors.filter((e) => !ECHO_KEYWORDS.has(e.keyword));

  // A wrong version means the rest of the file follows rules this keyplan does not know;
  // the other errors would only be noise.
  const version = relevant.filter((e) => e.instancePath === '/version');
  if (version.length > 0 && asRecord(value)?.['version'] !== undefined) relevant = version.slice(0, 1);

  const typeErrorAt = new Set(relevant.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  relevant = relevant.filter((e) => STRUCTURAL_KEYWORDS.has(e.keyword) || !typeErrorAt.has(e.instancePath));

  // A misspelled field (`usr:`) also makes the real one (`user`) missing; the "did you
  // mean" hint on the unknown field says both, so the missing-field error is dropped.
  const explained = new Set(relevant.map((e) => `${e.instancePath}/${suggestedField(e) ?? ''}`));

  const diagnostics: Diagnostic[] = [];
  const rejected: Path[] = [];
  const seen = new Set<string>();
  for (const error of relevant) {
    const described = describe(error, pointerToPath(error.instancePath, value));
    if (error.keyword === 'required' && explained.has(`${error.instancePath}/${String(error.params['missingProperty'])}`)) {
      rejected.push(described.at);
      continue;
    }
    const range = source.locate(described.at, described.anchor);
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: described.code,
      message: described.message,
      ...(described.path.length > 0 ? { path: formatPath(described.path) } : {}),
      range,
    };
    const id = `${range.line}:${range.column}:${diagnostic.path ?? ''}:${diagnostic.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(diagnostic);
    rejected.push(described.at);
  }
  return { diagnostics, rejected };
}

interface Described {
  readonly code: string;
  readonly message: string;
  /** Path printed in the diagnostic. */
  readonly path: Path;
  /** Node the diagnostic points at (also the rejected path). */
  readonly at: Path;
  readonly anchor: Anchor;
}

function describe(error: ErrorObject, path: Path): Described {
  const params = asRecord(error.params) ?? {};
  const parent = asRecord(error.parentSchema) ?? {};
  const custom = typeof parent['errorMessage'] === 'string' ? parent['errorMessage'] : undefined;
  const atValue = (code: string, message: string): Described => ({ code, message, path, at: path, anchor: 'value' });

  // Errors under `propertyNames` are about a mapping key, not a value.
  if (typeof error.propertyName === 'string') {
    const name = error.propertyName;
    const inner = describe({ ...error, propertyName: undefined }, path);
    return { ...inner, message: `invalid name "${name}": ${inner.message}`, at: [...path, name], anchor: 'key' };
  }

  switch (error.keyword) {
    case 'required': {
      const field = String(params['missingProperty']);
      return { code: CONFIG_CODES.missingField, message: `missing required field "${field}"`, path, at: [...path, field], anchor: 'key' };
    }
    case 'additionalProperties': {
      const field = String(params['additionalProperty']);
      const allowed = allowedFields(error);
      const close = suggestedField(error);
      const hint = close !== undefined ? ` (did you mean "${close}"?)` : allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
      return { code: CONFIG_CODES.unknownField, message: `unknown field "${field}"${hint}`, path, at: [...path, field], anchor: 'key' };
    }
    case 'type':
      // An empty file or a bare scalar: say what the file should look like.
      if (path.length === 0) return atValue(CONFIG_CODES.wrongType, `the file must be a YAML mapping starting with "version: 1", ${describeValue(error.data)}`);
      return atValue(CONFIG_CODES.wrongType, custom ?? `must be ${typeNames(params['type'])}, ${describeValue(error.data)}`);
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      return atValue(CONFIG_CODES.notAllowed, custom ?? `must be one of: ${allowed.map(plain).join(', ')}`);
    }
    case 'const':
      return atValue(CONFIG_CODES.notAllowed, custom ?? `must be ${JSON.stringify(params['allowedValue'])}`);
    case 'pattern': {
      const message = typeof parent['patternErrorMessage'] === 'string' ? parent['patternErrorMessage'] : custom;
      return atValue(CONFIG_CODES.badFormat, message ?? `must match the pattern ${String(params['pattern'])}`);
    }
    case 'minLength':
      return atValue(CONFIG_CODES.badFormat, params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters long`);
    case 'maxLength':
      return atValue(CONFIG_CODES.badFormat, `must be at most ${String(params['limit'])} characters long`);
    case 'uniqueItems': {
      // ajv names the two equal items; point at the later one, the one to delete.
      const index = Math.max(Number(params['i']), Number(params['j']));
      const item: unknown = Array.isArray(error.data) ? error.data[index] : undefined;
      const at = [...path, index];
      return { code: CONFIG_CODES.duplicateEntry, message: `${JSON.stringify(item)} is listed twice`, path: at, at, anchor: 'value' };
    }
    default:
      return atValue(CONFIG_CODES.schemaOther, custom ?? error.message ?? `fails the ${error.keyword} rule of the schema`);
  }
}

function allowedFields(error: ErrorObject): string[] {
  return Object.keys(asRecord(asRecord(error.parentSchema)?.['properties']) ?? {});
}

/** For an unknown-field error, the defined field it is probably a typo of. */
function suggestedField(error: ErrorObject): string | undefined {
  if (error.keyword !== 'additionalProperties') return undefined;
  return suggest(String(error.params['additionalProperty']), allowedFields(error));
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function typeNames(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

// The second half of a type message: what the value is instead.
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'but it is empty';
  if (Array.isArray(value)) return 'not a list';
  if (typeof value === 'object') return 'not a mapping';
  if (typeof value === 'boolean') return 'not true/false';
  return `not a ${typeof value}`;
}

function plain(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
