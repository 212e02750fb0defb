/**
 * Reader for the OCI SDK/CLI config file (`~/.oci/config`, providers/oci.md §4).
 *
 * keyplan parses the file itself instead of using the SDK's
 * `ConfigFileAuthenticationDetailsProvider`, because the SDK reads `OCI_REGION` from the
 * process environment (adapters read none), prints to the console, and throws bare
 * strings and stack-only errors; here every problem names the file, line and profile.
 * Semantics follow the SDK and the Python CLI: `[SECTION]` headers, `key = value`
 * lines, `#` and `;` comment lines, and a named profile inheriting, key by key, whatever
 * it lacks from `[DEFAULT]`.
 */
import { KeyplanError } from '../../errors/errors.js';
import { readTextFile } from '../shared/files.js';
import { OCI_CODES } from './codes.js';

/** The profile the SDKs use when none is named. */
export const DEFAULT_PROFILE = 'DEFAULT';

/** One profile of a config file, with DEFAULT's keys merged in. */
export interface OciConfigProfile {
  /** Absolute path of the file it was read from. */
  readonly file: string;
  readonly profile: string;
  /** Keys of the profile, falling back to DEFAULT per key. */
  readonly values: Readonly<Record<string, string>>;
}

/** Sections of a parsed config file, in file order, each with its own keys only. */
export type OciConfigSections = ReadonlyMap<string, Readonly<Record<string, string>>>;

/**
 * Parses config file text. `file` is only used in error messages.
 * @throws KeyplanError (KP_OCI_E0010) naming the file and line of the first malformed line.
 */
export function parseOciConfig(text: string, file: string): OciConfigSections {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const fail = (why: string): never => {
      throw new KeyplanError(`${file}:${index + 1}: ${why}`, {
        code: OCI_CODES.configFileSyntax,
        source: 'user',
      });
    };
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1).trim();
      if (name === '') fail('empty profile name');
      // A repeated section adds to the earlier one, as in the SDK's reader.
      current = sections.get(name) ?? {};
      sections.set(name, current);
      return;
    }
    // `=` is the documented separator; `:` is accepted as Python's configparser does.
    const eq = line.indexOf('=');
    const sep = eq >= 0 ? eq : line.indexOf(':');
    if (sep < 0) fail('expected `key = value` or `[PROFILE]`');
    const key = line.slice(0, sep).trim();
    if (key === '') fail('missing key before the separator');
    if (current === undefined) fail(`\`${key}\` appears before any [PROFILE] header`);
    (current as Record<string, string>)[key] = line.slice(sep + 1).trim();
  });
  return sections;
}

/**
 * Picks `profile` out of parsed sections, filling in missing keys from DEFAULT.
 * @throws KeyplanError (KP_OCI_E0012) when the profile does not exist.
 */
export function selectProfile(sections: OciConfigSections, file: string, profile: string): OciConfigProfile {
  const own = sections.get(profile);
  if (own === undefined) {
    const known = [...sections.keys()];
    throw new KeyplanError(
      `OCI config file ${file} has no profile [${profile}]` + (known.length > 0 ? ` (profiles: ${known.join(', ')})` : ' (it has no profiles)'),
      { code: OCI_CODES.configProfileMissing, source: 'user' },
    );
  }
  const defaults = profile === DEFAULT_PROFILE ? {} : (sections.get(DEFAULT_PROFILE) ?? {});
  return { file, profile, values: { ...defaults, ...own } };
}

/**
 * Reads `file` and returns `profile` with DEFAULT inheritance.
 * @throws KeyplanError (KP_OCI_E0011) naming the file and profile when the file cannot be read.
 */
export async function readOciProfile(file: string, profile: string): Promise<OciConfigProfile> {
  const text = await readTextFile(
    file,
    (why, cause) =>
      new KeyplanError(`OCI config file ${file} ${why}; it was to supply profile [${profile}]`, {
        code: OCI_CODES.configFileUnreadable,
        source: 'user',
        cause,
      }),
  );
  return selectProfile(parseOciConfig(text, file), file, profile);
}
