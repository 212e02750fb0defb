/**
 * Request body checks. The spec's request schemas have `additionalProperties: false`, so
 * an unknown field is refused (4045) instead of ignored; a field of the wrong JSON type is
 * 4108 InvalidParameterType; a value outside its set is 4047.
 */
import { isRecord } from '../shared/index.js';
import { invalidParameter, invalidType, invalidValue, OscApiError } from './errors.js';
import type { OscErrorChoice } from './options.js';
import type { AccessKeyState } from './store.js';

/** A parsed JSON object body. */
export type Params = Readonly<Record<string, unknown>>;

/** Parses the body as a JSON object; [guess] an empty body counts as `{}`. */
export function parseParams(raw: Buffer): Params {
  const text = raw.toString('utf8');
  if (text.trim().length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter('The request body is not valid JSON.');
  }
  if (!isRecord(value)) throw invalidParameter('The request body must be a JSON object.');
  return value;
}

/** Refuses fields outside `allowed`. */
export function onlyFields(params: Params, allowed: readonly string[], where = ''): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw invalidParameter(`The parameter '${where}${name}' is not valid for this call.`);
  }
}

/** An optional string field. */
export function optString(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidType(name);
  return v;
}

/** An optional boolean field. */
export function optBool(params: Params, name: string): boolean | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalidType(name);
  return v;
}

/** A required, non-empty string field; absent → the (guessed) missing-parameter answer. */
export function reqString(params: Params, name: string, missing: OscErrorChoice): string {
  const v = optString(params, name);
  if (v === undefined || v.length === 0) throw new OscApiError(missing, `The parameter '${name}' is required.`);
  return v;
}

/** An optional `ACTIVE`/`INACTIVE`. */
export function optState(params: Params, name: string): AccessKeyState | undefined {
  const v = optString(params, name);
  if (v === undefined || v === 'ACTIVE' || v === 'INACTIVE') return v;
  throw invalidValue(`The provided value '${v}' for ${name} is not valid. Expected ACTIVE or INACTIVE.`);
}

/** `ReadAccessKeys.Filters`: `AccessKeyIds` and `States`, both string arrays. */
export function readFilters(params: Params): { ids?: readonly string[]; states?: readonly AccessKeyState[] } {
  const f = params['Filters'];
  if (f === undefined) return {};
  if (!isRecord(f)) throw invalidType('Filters');
  onlyFields(f, ['AccessKeyIds', 'States'], 'Filters.');
  const strings = (name: string): string[] | undefined => {
    const v = f[name];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw invalidType(`Filters.${name}`);
    return v;
  };
  const ids = strings('AccessKeyIds');
  const states = strings('States')?.map((s): AccessKeyState => {
    if (s === 'ACTIVE' || s === 'INACTIVE') return s;
    throw invalidValue(`The provided value '${s}' for Filters.States is not valid. Expected ACTIVE or INACTIVE.`);
  });
  return { ...(ids === undefined ? {} : { ids }), ...(states === undefined ? {} : { states }) };
}
