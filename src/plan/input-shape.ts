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
const DESIRED_FIELDS = ['name', 'kind', 'provider', 'owner'] as const;
const LIVE_FIELDS = [...SCOPE_FIELDS, 'id'] as const;
const RECORD_FIELDS = ['name', ...SCOPE_FIELDS] as const;
const ID_FIELDS = ['id'] as const;
const MATCH_FIELDS = ['attribute', 'value'] as const;

/**
 * Where the check is, as the path to the value it looks at: a string segment is appended
 * as it is (`desired`, `.rotation`), a number as `[i]`, a state record's name as `["name"]`.
 * The path is put into words only when a value fails: a plan of 10,000 keys checks some
 * 200,000 values, and building each one's path cost more than checking it.
 */
type Segment = string | number | { readonly name: string };
const trail: Segment[] = [];

/**
 * Throws InternalError naming the first value of the planner's input that breaks its type.
 * @param desired the declared keys (DesiredKey[])
 * @param live the live snapshot (LiveSnapshot)
 * @param state keyplan's state (KeyplanState)
 * @param now the planning time, epoch ms
 */
export function checkPlanInput(desired: unknown, live: unknown, state: unknown, now: unknown): void {
  trail.length = 0;
  if (typeof now !== 'number' || !Number.isFinite(now)) fail('now', 'a finite number', now);
  eachOf(desired, 'desired', checkDesiredKey);
  const snapshot = record(live, 'live');
  within('live', () => {
    eachOf(snapshot['scopes'], '.scopes', checkScope);
    eachOf(snapshot['keys'], '.keys', checkLiveKey);
  });
  const s = record(state, 'state');
  within('state', () => {
    const keys = record(s['keys'], '.keys');
    within('.keys', () => {
      for (const name of Object.keys(keys)) {
        trail.push({ name });
        checkManagedKey(keys[name]);
        trail.pop();
      }
    });
    eachOf(s['intents'], '.intents', checkIntent);
  });
}

/** Runs `check` with `segment` added to the path. */
function within(segment: Segment, check: () => void): void {
  trail.push(segment);
  check();
  trail.pop();
}

function checkDesiredKey(value: unknown): void {
  const key = record(value, '');
  names(key, DESIRED_FIELDS);
  attributes(key['attributes'], '.attributes');
  eachOf(key['dependsOn'], '.dependsOn', checkText);
  const rotation = record(key['rotation'], '.rotation');
  duration(rotation['overlapMs'], '.rotation.overlapMs');
  if (rotation['maxAgeMs'] !== undefined) duration(rotation['maxAgeMs'], '.rotation.maxAgeMs');
  if (rotation['beforeExpiryMs'] !== undefined) duration(rotation['beforeExpiryMs'], '.rotation.beforeExpiryMs');
  if (typeof rotation['requireOverlap'] !== 'boolean') fail('.rotation.requireOverlap', 'a boolean', rotation['requireOverlap']);
  if (key['source'] !== undefined) {
    const source = record(key['source'], '.source');
    text(source['file'], '.source.file');
    count(source['line'], '.source.line');
    count(source['column'], '.source.column');
  }
}

function checkScope(value: unknown): void {
  names(record(value, ''), SCOPE_FIELDS);
}

function checkText(value: unknown): void {
  text(value, '');
}

function checkLiveKey(value: unknown): void {
  const key = record(value, '');
  names(key, LIVE_FIELDS);
  if (!LIVE_STATUSES.has(key['status'])) fail('.status', `one of ${[...LIVE_STATUSES].join(', ')}`, key['status']);
  attributes(key['attributes'], '.attributes');
  optionalText(key['createdAt'], '.createdAt');
  optionalText(key['expiresAt'], '.expiresAt');
  optionalText(key['marker'], '.marker');
}

function checkManagedKey(value: unknown): void {
  const key = record(value, '');
  names(key, RECORD_FIELDS);
  trail.push('.current');
  checkInstance(key['current']);
  trail.pop();
  eachOf(key['retiring'], '.retiring', checkRetiring);
}

function checkRetiring(value: unknown): void {
  checkInstance(value);
  text((value as Record<string, unknown>)['retireAfter'], '.retireAfter');
}

/** Checks the instance the path points at. */
function checkInstance(value: unknown): void {
  const instance = record(value, '');
  names(instance, ID_FIELDS);
  text(instance['createdAt'], '.createdAt');
  attributes(instance['attributes'], '.attributes');
}

function checkIntent(value: unknown): void {
  const intent = record(value, '');
  text(intent['id'], '.id');
  if (!OPERATIONS.has(intent['operation'])) fail('.operation', 'create or delete', intent['operation']);
  names(intent, RECORD_FIELDS);
  text(intent['startedAt'], '.startedAt');
  optionalText(intent['liveId'], '.liveId');
  if (intent['match'] !== undefined) {
    const match = record(intent['match'], '.match');
    within('.match', () => names(match, MATCH_FIELDS));
  }
}

/** Checks each item of the array at `segment`; `check` sees the path pointing at the item. */
function eachOf(value: unknown, segment: string, check: (item: unknown) => void): void {
  if (!Array.isArray(value)) fail(segment, 'an array', value);
  trail.push(segment);
  for (let i = 0; i < value.length; i++) {
    trail.push(i);
    check(value[i]);
    trail.pop();
  }
  trail.pop();
}

function record(value: unknown, last: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(last, 'an object', value);
  return value as Record<string, unknown>;
}

/** Names and ids end up in addresses and plan files, where an empty one means nothing. */
function names(value: Record<string, unknown>, fields: readonly string[]): void {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    const name = value[field];
    if (typeof name !== 'string' || name === '') fail(`.${field}`, 'a non-empty string', name);
  }
}

function attributes(value: unknown, last: string): void {
  const attrs = record(value, last);
  for (const name in attrs) {
    if (!Object.hasOwn(attrs, name)) continue;
    const v = attrs[name];
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      fail(`${last}[${JSON.stringify(name)}]`, 'a string, number, boolean or null', v);
    }
  }
}

function text(value: unknown, last: string): void {
  if (typeof value !== 'string') fail(last, 'a string', value);
}

function optionalText(value: unknown, last: string): void {
  if (value !== undefined) text(value, last);
}

/** Durations become `overlapMs` and due dates of the plan: whole, non-negative milliseconds. */
function duration(value: unknown, last: string): void {
  if (!Number.isInteger(value) || (value as number) < 0) fail(last, 'a whole, non-negative number of milliseconds', value);
}

function count(value: unknown, last: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(last, 'a whole, non-negative number', value);
}

/** Throws for the value at the path plus `last`, and clears the path for the next check. */
function fail(last: string, expected: string, got: unknown): never {
  const at = trail.map((s) => (typeof s === 'number' ? `[${s}]` : typeof s === 'string' ? s : `[${JSON.stringify(s.name)}]`)).join('') + last;
  trail.length = 0;
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
