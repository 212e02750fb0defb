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
  const records = Object.entries(state.keys);
  const known = options.knownKinds;
  if (known !== undefined) {
    const list = [...known].sort().join(', ');
    for (const [name, record] of records) {
      if (known.has(record.kind)) continue;
      const message = `key "${name}" has kind "${record.kind}", which this keyplan does not know (it knows ${list}); use the keyplan release that wrote this state`;
      problems.push({ code: STATE_CODES.unknownKind, path: `keys.${name}.kind`, message });
    }
  }

  const times: [string, string][] = [];
  for (const [name, record] of records) {
    times.push([`keys.${name}.current.createdAt`, record.current.createdAt]);
    if (record.current.restoredAt !== undefined) times.push([`keys.${name}.current.restoredAt`, record.current.restoredAt]);
    record.retiring.forEach((r, i) => {
      times.push([`keys.${name}.retiring[${i}].createdAt`, r.createdAt], [`keys.${name}.retiring[${i}].retireAfter`, r.retireAfter]);
      if (r.deactivatedAt !== undefined) times.push([`keys.${name}.retiring[${i}].deactivatedAt`, r.deactivatedAt]);
      if (r.deleteAfter !== undefined) times.push([`keys.${name}.retiring[${i}].deleteAfter`, r.deleteAfter]);
    });
  }
  state.intents.forEach((intent, i) => times.push([`intents[${i}].startedAt`, intent.startedAt]));
  for (const [path, value] of times) {
    if (isRfc3339(value)) continue;
    const message = `${JSON.stringify(value)} is not an RFC 3339 timestamp such as ${EXAMPLE_TIME}`;
    problems.push({ code: STATE_CODES.badTimestamp, path, message });
  }

  const owners = new Map<string, string>();
  for (const [name, record] of records) {
    const instances = [
      [`keys.${name}.current.id`, record.current.id] as const,
      ...record.retiring.map((r, i) => [`keys.${name}.retiring[${i}].id`, r.id] as const),
    ];
    for (const [path, id] of instances) {
      const identity = JSON.stringify([record.provider, record.kind, record.owner, id]);
      const first = owners.get(identity);
      if (first === undefined) {
        owners.set(identity, name);
        continue;
      }
      // Within one record a repeated id is harmless to other keys; across records it is not.
      if (first === name) continue;
      const message =
        `keys "${first}" and "${name}" both name live key ${id} (${record.kind} of ${record.owner}, provider ${record.provider}); ` +
        "rotating or deleting one would delete the other's key. Keep the id in one record only";
      problems.push({ code: STATE_CODES.sharedLiveKey, path, message });
    }
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
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  // 60 is a leap second, which RFC 3339 allows.
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}
