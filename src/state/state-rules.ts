/**
 * The rules a state document must keep beyond its JSON Schema: every kind is one this
 * keyplan knows, every timestamp is RFC 3339, and no live key belongs to two records.
 * A state breaking them would be acted on wrongly rather than fail (a bad `createdAt`
 * silently switches off rotation by age, a shared id lets rotating one key delete the
 * other's), so backends refuse it on read; every command then stops before acting, so
 * the fix is by hand (or a backup). A backend also checks a state before writing it.
 */
import { KeyplanError } from '../errors/errors.js';
import type { KeyplanState } from '../model/state.js';
import { STATE_CODES } from './codes.js';

/** What the rules are checked against. */
export interface StateRuleOptions {
  /** Kinds this keyplan knows; without it, kinds are not checked. @default undefined */
  readonly knownKinds?: ReadonlySet<string>;
}

/** One broken rule: the field's path (`keys.ci.current.createdAt`), its code and a sentence. */
export interface StateRuleProblem {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

const EXAMPLE_TIME = '2025-06-01T12:00:00Z';

/**
 * Checks a state that already has the schema's shape. Returns the problems in document
 * order (kinds, then timestamps, then shared keys); empty when the state keeps every rule.
 */
export function checkStateRules(state: KeyplanState, options: StateRuleOptions = {}): StateRuleProblem[] {
  const problems: StateRuleProblem[] = [];
  // Indexed loops over the names: a for…of over entries builds an iterator result and a pair per record.
  const names = Object.keys(state.keys);
  const known = options.knownKinds;
  if (known !== undefined) {
    const list = [...known].sort().join(', ');
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const record = state.keys[name] as KeyplanState['keys'][string];
      if (known.has(record.kind)) continue;
      const message = `key "${name}" has kind "${record.kind}", which this keyplan does not know (it knows ${list}); use the keyplan release that wrote this state`;
      problems.push({ code: STATE_CODES.unknownKind, path: `keys.${name}.kind`, message });
    }
  }

  // Paths are spelled out only for a broken field: building one per timestamp and id cost
  // more than checking them (a state of 10,000 keys holds 20,000 of each).
  const badTime = (path: () => string, value: string): void => {
    if (isRfc3339(value)) return;
    const message = `${JSON.stringify(value)} is not an RFC 3339 timestamp such as ${EXAMPLE_TIME}`;
    problems.push({ code: STATE_CODES.badTimestamp, path: path(), message });
  };
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const record = state.keys[name] as KeyplanState['keys'][string];
    badTime(() => `keys.${name}.current.createdAt`, record.current.createdAt);
    if (record.current.restoredAt !== undefined) badTime(() => `keys.${name}.current.restoredAt`, record.current.restoredAt);
    record.retiring.forEach((r, i) => {
      badTime(() => `keys.${name}.retiring[${i}].createdAt`, r.createdAt);
      badTime(() => `keys.${name}.retiring[${i}].retireAfter`, r.retireAfter);
      if (r.deactivatedAt !== undefined) badTime(() => `keys.${name}.retiring[${i}].deactivatedAt`, r.deactivatedAt);
      if (r.deleteAfter !== undefined) badTime(() => `keys.${name}.retiring[${i}].deleteAfter`, r.deleteAfter);
    });
  }
  state.intents.forEach((intent, i) => badTime(() => `intents[${i}].startedAt`, intent.startedAt));

  const owners = new Map<string, string>();
  const claim = (name: string, record: KeyplanState['keys'][string], id: string, path: () => string): void => {
    // Length-prefixed, so no two (provider, kind, owner, id) give the same text.
    const identity = `${record.provider.length}:${record.provider}${record.kind.length}:${record.kind}${record.owner.length}:${record.owner}${id}`;
    const first = owners.get(identity);
    if (first === undefined) {
      owners.set(identity, name);
      return;
    }
    // Within one record a repeated id is harmless to other keys; across records it is not.
    if (first === name) return;
    const message =
      `keys "${first}" and "${name}" both name live key ${id} (${record.kind} of ${record.owner}, provider ${record.provider}); ` +
      "rotating or deleting one would delete the other's key. Keep the id in one record only";
    problems.push({ code: STATE_CODES.sharedLiveKey, path: path(), message });
  };
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const record = state.keys[name] as KeyplanState['keys'][string];
    claim(name, record, record.current.id, () => `keys.${name}.current.id`);
    record.retiring.forEach((r, i) => claim(name, record, r.id, () => `keys.${name}.retiring[${i}].id`));
  }
  return problems;
}

/**
 * The user error for a state that breaks rules, read from `source` (a file path or a
 * backend description). Carries the first problem's code and lists them all.
 */
export function stateRulesError(source: string, problems: readonly StateRuleProblem[]): KeyplanError {
  const lines = problems.map((p) => `${p.path}: ${p.message}`);
  const head = lines.length === 1 ? `state ${source}: ${lines[0] ?? ''}` : `state ${source} has ${lines.length} problems:\n  ${lines.join('\n  ')}`;
  return new KeyplanError(`${head}\nNothing was changed. Fix the file by hand or restore a backup of it.`, {
    code: problems[0]?.code ?? STATE_CODES.badTimestamp,
    source: 'user',
  });
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** RFC 3339 `date-time` (section 5.6), with real calendar dates: `Date.parse` alone takes `June 1 2025` and 30 February. */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  // 60 is a leap second, which RFC 3339 allows.
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}
