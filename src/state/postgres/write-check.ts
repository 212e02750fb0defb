/**
 * The checks a state write must pass (state-schema.ts, state-rules.ts), run on what the
 * write changes rather than on the whole state, so a step's cost does not grow with the
 * number of keys: the changed records and the intents go through the schema and rules as
 * a small state of their own, and an index of every live key's owner, kept up to date
 * from write to write, finds a changed record naming a key an unchanged record holds.
 */
import type { KeyplanState, ManagedKey } from '../../model/state.js';
import { checkStateRules, type StateRuleOptions } from '../state-rules.js';
import { checkStateShape } from '../state-schema.js';
import type { RowChanges } from './diff.js';

/** Which record holds each live key (provider, kind, owner, id) of the stored state. */
export class LiveKeyOwners {
  readonly #owners = new Map<string, string>();

  /** Indexes every record of `state` (after a read). */
  constructor(state?: KeyplanState) {
    for (const record of Object.values(state?.keys ?? {})) this.#add(record);
  }

  /**
   * `path: message` lines for each rule the changes break; empty when the write may go.
   * `next` is the whole next state; only its changed records and its intents are checked.
   */
  check(next: KeyplanState, changes: RowChanges, rules: StateRuleOptions): string[] {
    const keys = Object.fromEntries(changes.upsertKeys.map((r) => [r.name, r]));
    const part: KeyplanState = { version: next.version, lineage: next.lineage, serial: next.serial, keys, intents: next.intents };
    const problems = checkStateShape(part);
    if (problems.length > 0) return problems;
    problems.push(...checkStateRules(part, rules).map((p) => `${p.path}: ${p.message}`));
    const moving = new Set([...changes.deleteKeys, ...changes.upsertKeys.map((r) => r.name)]);
    for (const record of changes.upsertKeys) {
      for (const id of instanceIds(record)) {
        const owner = this.#owners.get(identity(record, id));
        if (owner === undefined || owner === record.name || moving.has(owner)) continue;
        problems.push(`keys.${record.name}: names live key ${id}, which key "${owner}" already holds`);
      }
    }
    return problems;
  }

  /** Records a write of `changes` made from `base`. */
  apply(base: KeyplanState | undefined, changes: RowChanges): void {
    for (const name of [...changes.deleteKeys, ...changes.upsertKeys.map((r) => r.name)]) {
      const prior = base?.keys[name];
      if (prior === undefined) continue;
      for (const id of instanceIds(prior)) {
        const key = identity(prior, id);
        if (this.#owners.get(key) === name) this.#owners.delete(key);
      }
    }
    for (const record of changes.upsertKeys) this.#add(record);
  }

  #add(record: ManagedKey): void {
    for (const id of instanceIds(record)) this.#owners.set(identity(record, id), record.name);
  }
}

function instanceIds(record: ManagedKey): string[] {
  return [record.current.id, ...record.retiring.map((r) => r.id)];
}

function identity(record: ManagedKey, id: string): string {
  return JSON.stringify([record.provider, record.kind, record.owner, id]);
}
