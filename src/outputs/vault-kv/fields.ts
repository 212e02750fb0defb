/**
 * Which of a key's values and secrets a `vault_kv` output writes, under which Vault field
 * names: by default every non-secret value and every secret under its own name; with
 * `fields`, only the listed ones, renamed (`file` is the key's file content).
 */
import type { OutputSpec } from '../../model/desired.js';
import type { SecretMaterial } from '../../providers/contract.js';
import { OUTPUT_ERROR_CODES, OutputError } from '../output-error.js';
import { vaultKvSettings } from './schema.js';

/** The name that stands for the key's file content in `fields`. */
export const FILE_FIELD = 'file';

/** The Vault fields to write, values revealed (only the write's request body carries them). */
export function vaultFields(spec: OutputSpec, material: SecretMaterial, label: string): Record<string, string> {
  const available = new Map<string, () => string>();
  for (const [name, value] of Object.entries(material.values)) available.set(name, () => value);
  for (const [name, secret] of Object.entries(material.secrets)) available.set(name, () => secret.reveal());
  const chosen = vaultKvSettings(spec).fields;
  if (chosen === undefined) {
    const out: Record<string, string> = {};
    for (const name of [...available.keys()].sort()) out[name] = available.get(name)?.() ?? '';
    return out;
  }
  available.set(FILE_FIELD, () => material.file.reveal());
  const missing = Object.keys(chosen).filter((name) => !available.has(name));
  if (missing.length > 0) {
    const has = [...available.keys()].sort().join(', ');
    throw new OutputError(spec, `fields names ${missing.sort().join(', ')}, which the key does not have (it has ${has})`, {
      code: OUTPUT_ERROR_CODES.config,
      source: 'user',
      label,
    });
  }
  const targets = Object.values(chosen);
  const doubled = targets.filter((t, i) => targets.indexOf(t) !== i);
  if (doubled.length > 0) {
    throw new OutputError(spec, `fields writes more than one value to ${[...new Set(doubled)].sort().join(', ')}`, {
      code: OUTPUT_ERROR_CODES.config,
      source: 'user',
      label,
    });
  }
  return Object.fromEntries(Object.entries(chosen).map(([name, field]) => [field, available.get(name)?.() ?? '']));
}
