/**
 * Apply's refusal to start while a variable its creates and rotations read is unset: every
 * such variable at once, each at the keys.yaml line of the field that names it, before
 * anything changes (names only; a value is never read into a message).
 */
import { ConfigError } from '../errors/errors.js';
import type { KeyplanConfig } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import type { OutputModule } from '../providers/module.js';
import { APPLY_CODES } from './codes.js';
import { missingOutputDiagnostics } from './output-env-check.js';
import { missingPassphraseDiagnostics } from './passphrase-check.js';

/** @throws ConfigError naming the unset passphrase variables, then (once those are set) the outputs' token variables. */
export function refuseMissingVariables(
  plan: Plan,
  config: KeyplanConfig,
  outputs: ReadonlyMap<string, OutputModule>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const passphrases = missingPassphraseDiagnostics(plan, config, env);
  if (passphrases.length > 0) {
    const names = [...new Set(passphrases.map((d) => d.variable))].sort().join(', ');
    throw new ConfigError(`set the passphrase variable(s) ${names} before apply; nothing was changed`, passphrases, APPLY_CODES.passphrasesMissing);
  }
  const tokens = missingOutputDiagnostics(plan, config, outputs, env);
  if (tokens.length > 0) {
    const names = [...new Set(tokens.map((d) => d.variable))].sort().join(', ');
    throw new ConfigError(
      `set the variable(s) ${names} that the outputs of the keys to create read before apply; nothing was changed`,
      tokens,
      APPLY_CODES.outputVariablesMissing,
    );
  }
}
