/**
 * The `env_file` sink: `NAME=VALUE` lines for dotenv loaders, `docker compose --env-file`
 * and `set -a; . file`. Names are the material's value and secret names in UPPER_SNAKE
 * with the output's prefix; lines are sorted by name so the file is deterministic.
 *
 * Quoting picks the form all three readers agree on: bare when the value has only safe
 * characters, single quotes (literal everywhere) when it has no line break or quote, and
 * otherwise double quotes with `\n`, `\r`, `\\`, `\"` and `\$` escapes, which is how
 * multi-line PEM values are written.
 */
import type { OutputSpec } from '../model/desired.js';
import type { SecretMaterial } from '../providers/contract.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { OUTPUT_ERROR_CODES, OutputError, ioOutputError } from './output-error.js';
import { MARKER_PREFIX } from './marker.js';
import { Secret } from '../model/secret.js';

/** An env_file output: `prefix` is checked by the schema. */
type EnvFileSpec = OutputSpec & { readonly prefix?: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BARE_VALUE = /^[A-Za-z0-9_./:@%+,=-]+$/;

/** Writes every value and secret of `material` to `absPath` (mode 0600). Throws OutputError. */
export async function writeEnvFileOutput(spec: EnvFileSpec, absPath: string, material: SecretMaterial, keyName: string): Promise<void> {
  const lines = new Map<string, string>();
  const add = (name: string, value: string): void => {
    const envName = (spec.prefix ?? '') + toUpperSnake(name);
    if (!ENV_NAME.test(envName)) {
      throw new OutputError(spec, `"${envName}" is not a valid environment variable name; check the prefix`, {
        code: OUTPUT_ERROR_CODES.config,
        source: 'user',
      });
    }
    if (lines.has(envName)) {
      throw new OutputError(spec, `bug in the provider adapter: two values map to the variable ${envName}`, {
        code: OUTPUT_ERROR_CODES.material,
        source: 'internal',
      });
    }
    lines.set(envName, `${envName}=${quoteEnvValue(value)}`);
  };
  for (const [name, value] of Object.entries(material.values)) add(name, value);
  for (const [name, secret] of Object.entries(material.secrets)) add(name, secret.reveal());

  const sorted = [...lines.keys()].sort().map((name) => lines.get(name) as string);
  // A comment, not a variable, so that loaders ignore it and people know who writes the file.
  const text = [`${MARKER_PREFIX}${keyName.replace(/[\r\n]/g, ' ')}`, ...sorted].join('\n') + '\n';
  try {
    await atomicWriteFile(absPath, text, { mode: 0o600, dirMode: 0o700 });
  } catch (error) {
    throw ioOutputError(spec, absPath, error);
  }
}

/**
 * The secrets `names` as an env file written by {@link writeEnvFileOutput} holds them, or
 * undefined when one is missing (the file was replaced since).
 */
export function readEnvFileSecrets(spec: EnvFileSpec, text: string, names: readonly string[]): Record<string, Secret> | undefined {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0 || line.startsWith('#')) continue;
    values.set(line.slice(0, eq), unquoteEnvValue(line.slice(eq + 1)));
  }
  const out: Record<string, Secret> = {};
  for (const name of names) {
    const value = values.get((spec.prefix ?? '') + toUpperSnake(name));
    if (value === undefined) return undefined;
    out[name] = new Secret(value);
  }
  return names.length > 0 ? out : undefined;
}

/** The inverse of {@link quoteEnvValue}. */
export function unquoteEnvValue(text: string): string {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', '\\': '\\', '"': '"', $: '$' };
    return text.slice(1, -1).replace(/\\(.)/g, (whole, c: string) => escapes[c] ?? whole);
  }
  return text;
}

/** `keyId` → `KEY_ID`, `private-key` → `PRIVATE_KEY`, `PEMFile` → `PEM_FILE`, `2fa` → `_2FA`. */
export function toUpperSnake(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/** The value as it appears after `NAME=`. */
export function quoteEnvValue(value: string): string {
  if (value === '' || BARE_VALUE.test(value)) return value;
  if (!/[\r\n']/.test(value)) return `'${value}'`;
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `"${escaped}"`;
}
