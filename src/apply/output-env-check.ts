/**
 * Which token variables a plan's outputs need (OutputModule.envSettings, e.g. a Vault
 * output's `token_env`). Like passphrases (passphrase-check.ts), plan only warns, and
 * apply refuses to start while one is missing: otherwise the key would be created, its
 * output would fail, and the key would be deleted again, for nothing.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { KeyplanConfig } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import type { OutputModule } from '../providers/module.js';
import { APPLY_CODES } from './codes.js';
import { keysNeedingSecrets, variableDiagnostic } from './passphrase-check.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Names of unset or empty env variables that the outputs of the plan's creates and rotations read, sorted and unique. */
export function missingOutputVariables(plan: Plan, config: KeyplanConfig, outputs: ReadonlyMap<string, OutputModule>, env: Env): string[] {
  return [...new Set(missingOutputDiagnostics(plan, config, outputs, env).map((d) => d.variable))].sort();
}

/** One diagnostic per output setting naming an unset variable, at `keys[i].outputs[j].<field>`. */
export function missingOutputDiagnostics(
  plan: Plan,
  config: KeyplanConfig,
  outputs: ReadonlyMap<string, OutputModule>,
  env: Env,
): (Diagnostic & { readonly variable: string })[] {
  const needing = keysNeedingSecrets(plan);
  const out: (Diagnostic & { readonly variable: string })[] = [];
  config.keys.forEach((key, index) => {
    if (!needing.has(key.name)) return;
    key.outputs.forEach((spec, j) => {
      for (const { field, holds } of outputs.get(spec.type)?.envSettings?.(spec) ?? []) {
        const name = spec[field];
        if (typeof name !== 'string') continue;
        const value = env[name];
        if (value !== undefined && value !== '') continue;
        const message = `environment variable ${name} is ${value === '' ? 'empty' : 'not set'} (it holds ${holds} of the ${spec.type} output of key "${key.name}")`;
        out.push({ ...variableDiagnostic(key, index, `outputs.${j}.${field}`, message), code: APPLY_CODES.outputVariablesMissing, variable: name });
      }
    });
  });
  return out;
}
