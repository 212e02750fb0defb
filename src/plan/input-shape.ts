/**
 * The planner's check of its own input. Config, state and live keys are validated where
 * they are read (ajv schemas, adapter conversions), so a value here that breaks its type
 * is a bug in keyplan. Planning on anyway would produce changes nobody could apply (a
 * create of a key without a name), so the planner stops at the first such value and says
 * which one it is; `plan()` turns that into its internal-error diagnostic.
 *
 * Only types are checked, not meaning: an unknown kind, a timestamp that does not parse
 * or two records claiming one key are planned and reported by the passes themselves.
 * Messages name a value's type, never the value, so nothing from the input is echoed.
 */
import { InternalError } from '../errors/errors.js';

const LIVE_STATUSES: ReadonlySet<unknown> = new Set(['creating', 'active', 'inactive', 'deleting', 'failed']);
const OPERATIONS: ReadonlySet<unknown> = new Set(['create', 'delete']);
const SCOPE_FIELDS = ['provider', 'kind', 'owner'] as const;

/**
 * Throws InternalError naming the first value of the planner's input that breaks its type.
 * @param desired the declared keys (DesiredKey[])
 * @param live the live snapshot (LiveSnapshot)
 * @param state keyplan's state (KeyplanState)
 * @param now the planning time, epoch ms
 */
export function checkPlanInput(desired: unknown, live: unknown, state: unknown, now: unknown): void {
  if (typeof now !== 'number' || !Number.isFinite(now)) fail('now', 'a finite number', now);
  eachOf(desired, 'desired', checkDesiredKey);
  const snapshot = record(live, 'live');
  eachOf(snapshot['scopes'], 'live.scopes', (scope, at) => names(record(scope, at), at, SCOPE_FIELDS));
  eachOf(snapshot['keys'], 'live.keys', checkLiveKey);
  const s = record(state, 'state');
  const keys = record(s['keys'], 'state.keys');
  for (const name of Object.keys(keys)) checkManagedKey(keys[name], `state.keys[${JSON.stringify(name)}]`);
  eachOf(s['intents'], 'state.intents', checkIntent);
}

function checkDesiredKey(value: unknown, at: string): void {
  const key = record(value, at);
  names(key, at, ['name', 'kind', 'provider', 'owner']);
  attributes(key['attributes'], `${at}.attributes`);
  eachOf(key['dependsOn'], `${at}.dependsOn`, (name, path) => text(name, path));
  const rotation = record(key['rotation'], `${at}.rotation`);
  duration(rotation['overlapMs'], `${at}.rotation.overlapMs`);
  if (rotation['maxAgeMs'] !== undefined) duration(rotation['maxAgeMs'], `${at}.rotation.maxAgeMs`);
  if (rotation['beforeExpiryMs'] !== undefined) duration(rotation['beforeExpiryMs'], `${at}.rotation.beforeExpiryMs`);
  if (typeof rotation['requireOverlap'] !== 'boolean') fail(`${at}.rotation.requireOverlap`, 'a boolean', rotation['requireOverlap']);
  if (key['source'] !== undefined) {
    const source = record(key['source'], `${at}.source`);
    text(source['file'], `${at}.source.file`);
    for (const field of ['line', 'column'] as const) count(source[field], `${at}.source.${field}`);
  }
}

function checkLiveKey(value: unknown, at: string): void {
  const key = record(value, at);
  names(key, at, [...SCOPE_FIELDS, 'id']);
  if (!LIVE_STATUSES.has(key['status'])) fail(`${at}.status`, `one of ${[...LIVE_STATUSES].join(', ')}`, key['status']);
  attributes(key['attributes'], `${at}.attributes`);
  for (const field of ['createdAt', 'expiresAt', 'marker'] as const) optionalText(key[field], `${at}.${field}`);
}

function checkManagedKey(value: unknown, at: string): void {
  const key = record(value, at);
  names(key, at, ['name', ...SCOPE_FIELDS]);
  checkInstance(key['current'], `${at}.current`);
  eachOf(key['retiring'], `${at}.retiring`, (instance, path) => {
    checkInstance(instance, path);
    text((instance as Record<string, unknown>)['retireAfter'], `${path}.retireAfter`);
  });
}

function checkInstance(value: unknown, at: string): void {
  const instance = record(value, at);
  names(instance, at, ['id']);
  text(instance['createdAt'], `${at}.createdAt`);
  attributes(instance['attributes'], `${at}.attributes`);
}

function checkIntent(value: unknown, at: string): void {
  const intent = record(value, at);
  text(intent['id'], `${at}.id`);
  if (!OPERATIONS.has(intent['operation'])) fail(`${at}.operation`, 'create or delete', intent['operation']);
  names(intent, at, ['name', ...SCOPE_FIELDS]);
  text(intent['startedAt'], `${at}.startedAt`);
  optionalText(intent['liveId'], `${at}.liveId`);
  if (intent['match'] !== undefined) names(record(intent['match'], `${at}.match`), `${at}.match`, ['attribute', 'value']);
}

function eachOf(value: unknown, at: string, check: (item: unknown, at: string) => void): void {
  if (!Array.isArray(value)) fail(at, 'an array', value);
  value.forEach((item: unknown, i) => check(item, `${at}[${i}]`));
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, 'an object', value);
  return value as Record<string, unknown>;
}

/** Names and ids end up in addresses and plan files, where an empty one means nothing. */
function names(value: Record<string, unknown>, at: string, fields: readonly string[]): void {
  for (const field of fields) {
    const name = value[field];
    if (typeof name !== 'string' || name === '') fail(`${at}.${field}`, 'a non-empty string', name);
  }
}

function attributes(value: unknown, at: string): void {
  const attrs = record(value, at);
  for (const name of Object.keys(attrs)) {
    const v = attrs[name];
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      fail(`${at}[${JSON.stringify(name)}]`, 'a string, number, boolean or null', v);
    }
  }
}

function text(value: unknown, at: string): void {
  if (typeof value !== 'string') fail(at, 'a string', value);
}

function optionalText(value: unknown, at: string): void {
  if (value !== undefined) text(value, at);
}

/** Durations become `overlapMs` and due dates of the plan: whole, non-negative milliseconds. */
function duration(value: unknown, at: string): void {
  if (!Number.isInteger(value) || (value as number) < 0) fail(at, 'a whole, non-negative number of milliseconds', value);
}

function count(value: unknown, at: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(at, 'a whole, non-negative number', value);
}

function fail(at: string, expected: string, got: unknown): never {
  throw new InternalError(`Expected \`${at}\` to be ${expected}, got ${kindOf(got)}`);
}

/** The type of a value in words; the value itself is not shown. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return numberKind(value);
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function numberKind(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return 'an infinite number';
  if (n < 0) return 'a negative number';
  return Number.isInteger(n) ? 'a number' : 'a fractional number';
}
