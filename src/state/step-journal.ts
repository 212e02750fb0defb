/**
 * The local backend's step journal: `state.json.steps`, beside the state file, one JSON
 * line per state change an apply step made, appended and fsynced under the lock. Writing
 * one step then costs the size of the records it touched, not of the whole state; the
 * journal is folded into state.json (one atomic write) when the lock is released, and on
 * the next lock when the run that wrote it died. Readers fold it in memory.
 *
 * A line is `{"lineage":L,"serial":S,"keys":{NAME: record | null},"intents":[...]}`: the
 * records it replaces (null removes one) and, when they changed, the whole list of
 * intents (a handful: the calls in flight). Line S applies to the state of serial S-1.
 * A last line without its newline is a torn append of a run killed mid-write and is
 * ignored (its step never counted as done); any complete line that does not parse is an
 * error, because skipping it could forget a key that exists.
 */
import { KeyplanError } from '../errors/errors.js';
import type { KeyplanState, ManagedKey } from '../model/state.js';
import { STATE_CODES } from './codes.js';
import { checkStateRules, type StateRuleOptions } from './state-rules.js';
import { checkStateShape } from './state-schema.js';
import type { StateStep } from './store.js';

/** One journal line, parsed: a step with the lineage and serial it makes. */
export interface StepRecord extends StateStep {
  readonly lineage: string;
  readonly serial: number;
}

/**
 * The step from `before` to `after`, comparing every record by identity (the helpers of
 * mutations.ts and journal.ts keep every untouched record the same object). Costs a look
 * at every record: for states not made through a session's draft (draft.ts).
 */
export function stepBetween(before: KeyplanState, after: KeyplanState): StateStep {
  const keys: Record<string, ManagedKey | null> = {};
  for (const name in after.keys) {
    const record = after.keys[name] as ManagedKey;
    if (before.keys[name] !== record) keys[name] = record;
  }
  for (const name in before.keys) if (!(name in after.keys)) keys[name] = null;
  return { keys, ...(before.intents !== after.intents ? { intents: after.intents } : {}) };
}

/**
 * Problems of `record` as a state would have them (shape, kinds, timestamps), checked on
 * the records it carries only, so the cost does not grow with the state. The rule that no
 * live key belongs to two records needs the whole state: the fold checks it.
 */
export function checkStepRecord(record: StepRecord, rules: StateRuleOptions): string[] {
  const keys: Record<string, ManagedKey> = {};
  for (const [name, r] of Object.entries(record.keys)) if (r !== null) keys[name] = r;
  const doc = { version: 1, lineage: record.lineage, serial: record.serial, keys, intents: record.intents ?? [] };
  const problems = checkStateShape(doc);
  if (problems.length === 0) problems.push(...checkStateRules(doc as KeyplanState, rules).map((p) => `${p.path}: ${p.message}`));
  return problems;
}

/** The text of one journal line, newline included. */
export function encodeStep(record: StepRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** What {@link foldSteps} made of a journal. */
export interface FoldResult {
  readonly state: KeyplanState;
  /** Lines applied (those of a serial the state already had are skipped). */
  readonly applied: number;
}

/**
 * Applies the complete lines of journal `text` to `state` (read from `source`, named in
 * errors together with `journal`). Lines of a serial the state already has were folded
 * before (a run died between writing state.json and removing the journal) and are skipped.
 * @throws KeyplanError for a complete line that does not parse, is of another lineage or
 * leaves a gap in the serials.
 */
export function foldSteps(state: KeyplanState, text: string, journal: string, rules: StateRuleOptions = {}): FoldResult {
  const end = text.lastIndexOf('\n');
  if (end < 0) return { state, applied: 0 };
  const keys: Record<string, ManagedKey> = { ...state.keys };
  let { serial } = state;
  let intents = state.intents;
  let applied = 0;
  const lines = text.slice(0, end).split('\n');
  lines.forEach((line, i) => {
    const record = parseStep(line, `${journal}:${i + 1}`, rules);
    if (record.lineage !== state.lineage) {
      throw journalError(`${journal}:${i + 1}: step of lineage ${record.lineage} beside a state of lineage ${state.lineage}`);
    }
    if (record.serial <= state.serial) return;
    if (record.serial !== serial + 1) throw journalError(`${journal}:${i + 1}: step serial ${record.serial} does not follow serial ${serial}`);
    for (const [name, r] of Object.entries(record.keys)) {
      if (r === null) delete keys[name];
      else keys[name] = r;
    }
    if (record.intents !== undefined) intents = record.intents;
    serial = record.serial;
    applied++;
  });
  if (applied === 0) return { state, applied };
  return { state: { version: state.version, lineage: state.lineage, serial, keys, intents }, applied };
}

function parseStep(line: string, where: string, rules: StateRuleOptions): StepRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (error) {
    throw journalError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const r = doc as Partial<StepRecord> | null;
  const valid =
    typeof r === 'object' &&
    r !== null &&
    typeof r.lineage === 'string' &&
    Number.isSafeInteger(r.serial) &&
    typeof r.keys === 'object' &&
    r.keys !== null &&
    !Array.isArray(r.keys) &&
    (r.intents === undefined || Array.isArray(r.intents));
  if (!valid) throw journalError(`${where}: not a keyplan state step (lineage, serial, keys, intents)`);
  const record = r as StepRecord;
  const problems = checkStepRecord(record, rules);
  if (problems.length > 0) throw journalError(`${where}: ${problems.join('; ')}`);
  return record;
}

function journalError(detail: string): KeyplanError {
  return new KeyplanError(`the state's step journal is damaged: ${detail}. Nothing was changed; restore the state from a backup, or fold the journal by hand`, {
    code: STATE_CODES.invalid,
    source: 'user',
  });
}
