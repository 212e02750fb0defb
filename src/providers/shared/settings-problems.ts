/**
 * Reporting settings problems: `validate()` turns them into diagnostics that point at
 * `providers.<block>.<setting>`, and `configure()` into one error whose message lists
 * them all, so both paths word a problem the same way.
 */
import type { Diagnostic } from '../../errors/diagnostic.js';
import { ConfigError } from '../../errors/errors.js';
import type { ParsedSettings, SettingProblem } from './settings-reader.js';

/** One error diagnostic per problem, each with the dot path of its setting. */
export function settingsDiagnostics(block: string, problems: readonly SettingProblem[], code: string): Diagnostic[] {
  return problems.map(([name, message]) => ({ severity: 'error' as const, code, path: `providers.${block}.${name}`, message }));
}

/** `provider "x": name: reason; name: reason` — every problem on one line. */
export function settingsMessage(block: string, problems: readonly SettingProblem[]): string {
  return `provider "${block}": ${problems.map(([name, why]) => `${name}: ${why}`).join('; ')}`;
}

/** The ConfigError configure() throws for unusable settings, carrying the diagnostics too. */
export function settingsConfigError(block: string, problems: readonly SettingProblem[], code: string): ConfigError {
  return new ConfigError(settingsMessage(block, problems), settingsDiagnostics(block, problems, code), code);
}

/**
 * The settings of `parsed` when it found no problem.
 * @throws ConfigError (with `code`) listing every problem otherwise
 */
export function usableSettings<T>(block: string, parsed: ParsedSettings<T>, code: string): T {
  if (parsed.problems.length > 0) throw settingsConfigError(block, parsed.problems, code);
  return parsed.settings;
}
