/**
 * The state document on its way to and from bytes: a fresh state, parsing with a clear
 * error that names the file, and deterministic serialisation (keys sorted by name, 2-space
 * indent, trailing newline) so that state files diff cleanly and every backend stores the
 * same text.
 */
import { randomUUID } from 'node:crypto';
import { KeyplanError } from '../errors/errors.js';
import { STATE_FORMAT_VERSION, type KeyplanState, type ManagedKey } from '../model/state.js';
import { checkStateRules, stateRulesError, type StateRuleOptions } from './state-rules.js';
import { checkStateShape } from './state-schema.js';
import { STATE_CODES } from './codes.js';

/** A state that was never written: fresh lineage, serial 0, nothing managed. */
export function newState(): KeyplanState {
  return { version: STATE_FORMAT_VERSION, lineage: randomUUID(), serial: 0, keys: {}, intents: [] };
}

/**
 * Returns the state with its top-level fields in a fixed order and `keys` sorted by name.
 * Sorting compares code units, not locale, so every machine writes the same bytes.
 * (JavaScript still lists integer-like names such as `42` first; that order is stable too.)
 */
export function normalizeState(state: KeyplanState): KeyplanState {
  const keys: Record<string, ManagedKey> = {};
  for (const name of Object.keys(state.keys).sort(compareCodeUnits)) {
    keys[name] = state.keys[name] as ManagedKey;
  }
  return { version: state.version, lineage: state.lineage, serial: state.serial, keys, intents: state.intents };
}

/** The exact text a backend stores. */
export function serializeState(state: KeyplanState): string {
  return `${JSON.stringify(normalizeState(state), null, 2)}\n`;
}

/**
 * Parses and validates a state document read from `source` (a file path or a backend
 * description, used in messages). Throws KeyplanError KP_STATE_E0002 for text that is not
 * JSON, KP_STATE_E0003 for JSON that is not a keyplan state of a version this build reads,
 * and a STATE_CODES rule code for a state that breaks the rules of `checkStateRules`.
 */
export function parseState(text: string, source: string, rules: StateRuleOptions = {}): KeyplanState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new KeyplanError(`state file ${source} is not valid JSON (${(error as Error).message}); restore it from a backup or fix it by hand`, {
      code: STATE_CODES.unreadable,
      source: 'user',
      cause: error,
    });
  }
  const version = (doc as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== STATE_FORMAT_VERSION) {
    throw new KeyplanError(
      `state file ${source} has format version ${version}, but this keyplan reads version ${STATE_FORMAT_VERSION}; use the keyplan release that wrote it`,
      { code: STATE_CODES.invalid, source: 'user' },
    );
  }
  const problems = checkStateShape(doc);
  if (problems.length > 0) {
    throw new KeyplanError(`state file ${source} is not a valid keyplan state:\n  ${problems.join('\n  ')}`, {
      code: STATE_CODES.invalid,
      source: 'user',
    });
  }
  const broken = checkStateRules(doc as KeyplanState, rules);
  if (broken.length > 0) throw stateRulesError(source, broken);
  return doc as KeyplanState;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
