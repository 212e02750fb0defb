/**
 * src/providers/shared: logic that is the same in every provider adapter, so it is
 * written once: reading a block's settings and reporting their problems, endpoint URL
 * rules, credentials file paths, the sandbox's bootstrap credentials, and the pieces of
 * HTTP retrying the fetch-based adapters have in common. What differs per provider
 * (defaults, accepted forms, retry timing) stays in the provider's folder.
 *
 * This file: reading typed values out of a provider block's `settings`. The JSON Schema enforces
 * the shapes already; adapters check again so they never trust `unknown` values, and
 * collect every problem as a `[setting, reason]` pair instead of stopping at the first,
 * so one `validate` run (or one ConfigError) names them all.
 */

/** One problem with a setting: `[settingName, reason]`. */
export type SettingProblem = readonly [string, string];

/** A provider's typed settings plus every problem found; `problems` empty means `settings` is usable. */
export interface ParsedSettings<T> {
  readonly settings: T;
  /** `[settingName, reason]` pairs. */
  readonly problems: readonly SettingProblem[];
}

/** What a shell accepts as a variable name; the `*_env` settings name such variables. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Typed getters over one block's settings; each records a problem instead of throwing. */
export interface SettingsReader {
  /** Problems recorded so far, in the order the settings were read. */
  readonly problems: readonly SettingProblem[];
  /** Records a problem the caller found itself (a rule across settings, a URL check…). */
  problem(name: string, reason: string): void;
  /** The trimmed string; undefined when unset (or null), a problem when not a non-empty string. */
  str(name: string): string | undefined;
  /** `str(name)` when it is one of `allowed`; `fallback` when unset or not allowed (a problem). */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /**
   * `str(name)` checked to be an environment variable name. An invalid name is recorded
   * as a problem and still returned, so callers do not report the setting missing too.
   */
  envName(name: string): string | undefined;
  /** An integer from `min` to `max`; undefined when unset (or null), a problem otherwise. */
  int(name: string, min: number, max: number): number | undefined;
  /** A number above 0 and at most `max`; undefined when unset (or null), a problem otherwise. */
  positive(name: string, max: number): number | undefined;
}

/** A reader over `settings` (a provider block's raw `settings` object). */
export function settingsReader(settings: Readonly<Record<string, unknown>>): SettingsReader {
  const problems: SettingProblem[] = [];
  const problem = (name: string, reason: string): void => {
    problems.push([name, reason]);
  };
  const str = (name: string): string | undefined => {
    const v = settings[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    problem(name, `expected a non-empty string, got ${JSON.stringify(v)}`);
    return undefined;
  };
  return {
    problems,
    problem,
    str,
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const v = str(name);
      if (v === undefined) return fallback;
      if ((allowed as readonly string[]).includes(v)) return v as T;
      problem(name, `expected one of ${allowed.join(', ')}, got "${v}"`);
      return fallback;
    },
    envName(name: string): string | undefined {
      const v = str(name);
      if (v !== undefined && !ENV_NAME_PATTERN.test(v)) problem(name, `expected an environment variable name, got "${v}"`);
      return v;
    },
    int(name: string, min: number, max: number): number | undefined {
      const v = settings[name];
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
      problem(name, `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
      return undefined;
    },
    positive(name: string, max: number): number | undefined {
      const v = settings[name];
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max) return v;
      problem(name, `expected a number above 0 and at most ${max}, got ${JSON.stringify(v)}`);
      return undefined;
    },
  };
}
