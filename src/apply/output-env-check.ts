/**
 * Which token variables a plan's outputs need (OutputModule.envSettings, e.g. a Vault
 * output's `token_env`). Like passphrases (passphrase-check.ts), plan only warns, and
 * apply refuses to start while one is missing: otherwise the key would be created, its
 * output would fail, and the key would be deleted again, for nothing.
 */
import type { KeyplanConfig } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import type { OutputModule } from '../providers/module.js';

/** Names of unset or empty env variables that the outputs of the plan's creates and rotations read, sorted and unique. */
export function missingOutputVariables(
  plan: Plan,
  config: KeyplanConfig,
  outputs: ReadonlyMap<string, OutputModule>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const needing = new Set(plan.changes.filter((c) => c.action === 'create' || c.action === 'rotate').map((c) => c.name));
  const missing = new Set<string>();
  for (const key of config.keys) {
    if (!needing.has(key.name)) continue;
    for (const spec of key.outputs) {
      for (const { field } of outputs.get(spec.type)?.envSettings?.(spec) ?? []) {
        const name = spec[field];
        if (typeof name !== 'string') continue;
        const value = env[name];
        if (value === undefined || value === '') missing.add(name);
      }
    }
  }
  return [...missing].sort();
}
