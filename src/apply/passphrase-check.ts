/**
 * Which passphrase variables a plan needs. Plan only warns about missing ones, so a
 * pull-request pipeline can plan without holding any secret; apply refuses to start
 * until every variable its creates and rotations need is set, naming each variable at
 * the keys.yaml line of the field that names it (the value is never read into a message).
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { DesiredKey, KeyplanConfig } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import { APPLY_CODES } from './codes.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Names of unset env variables that the plan's creates and rotations read, sorted and unique. */
export function missingPassphraseVariables(plan: Plan, config: KeyplanConfig, env: Env): string[] {
  return [...new Set(missingPassphraseDiagnostics(plan, config, env).map((d) => d.variable))].sort();
}

/** One diagnostic per key whose create or rotation needs an unset passphrase variable, at its `passphrase.env`. */
export function missingPassphraseDiagnostics(plan: Plan, config: KeyplanConfig, env: Env): (Diagnostic & { readonly variable: string })[] {
  const needing = keysNeedingSecrets(plan);
  const out: (Diagnostic & { readonly variable: string })[] = [];
  config.keys.forEach((key, index) => {
    if (!needing.has(key.name) || 'none' in key.passphrase) return;
    const name = key.passphrase.env;
    const value = env[name];
    if (value !== undefined && value !== '') return;
    out.push({
      ...variableDiagnostic(
        key,
        index,
        'passphrase.env',
        `environment variable ${name} is ${value === '' ? 'empty' : 'not set'} (it holds the passphrase of key "${key.name}")`,
      ),
      variable: name,
    });
  });
  return out;
}

/** Names of the keys the plan creates or rotates (the ones whose secrets apply needs). */
export function keysNeedingSecrets(plan: Plan): Set<string> {
  return new Set(plan.changes.filter((c) => c.action === 'create' || c.action === 'rotate').map((c) => c.name));
}

/** An error at `keys[index].<field>`, positioned where keys.yaml writes it (or at the key). */
export function variableDiagnostic(key: DesiredKey, index: number, field: string, message: string): Diagnostic {
  const range = key.locateField?.(field) ?? key.source;
  const path = `keys[${index}].${field.replace(/\.(\d+)\./g, '[$1].')}`;
  return { severity: 'error', code: APPLY_CODES.passphrasesMissing, message, path, ...(range === undefined ? {} : { range }) };
}
