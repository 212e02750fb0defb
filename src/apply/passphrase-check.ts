/**
 * Which passphrase variables a plan needs. Plan only warns about missing ones, so a
 * pull-request pipeline can plan without holding any secret; apply refuses to start
 * until every variable its creates and rotations need is set.
 */
import type { KeyplanConfig } from '../model/desired.js';
import type { Plan } from '../model/plan.js';

/** Names of unset env variables that the plan's creates and rotations read, sorted and unique. */
export function missingPassphraseVariables(plan: Plan, config: KeyplanConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  const needing = new Set(plan.changes.filter((c) => c.action === 'create' || c.action === 'rotate').map((c) => c.name));
  const missing = new Set<string>();
  for (const key of config.keys) {
    if (!needing.has(key.name) || 'none' in key.passphrase) continue;
    const value = env[key.passphrase.env];
    if (value === undefined || value === '') missing.add(key.passphrase.env);
  }
  return [...missing].sort();
}
