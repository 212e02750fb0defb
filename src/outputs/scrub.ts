/**
 * Removing secret values from text an output did not write itself: a command's stdout and
 * stderr, a secret store's error body. Such text may echo what it was given, in any of the
 * forms a secret travels in, so each secret is looked for as written, JSON-escaped (how
 * the exec document carries it) and line by line (a script printing part of a PEM).
 */
import { redactText } from '../log/logger.js';
import { REDACTED } from '../model/secret.js';
import type { SecretMaterial } from '../providers/contract.js';

// Shorter fragments would scrub ordinary words; a PEM line or token is far longer.
const MIN_FRAGMENT = 8;

/** Every form of the material's secret values worth looking for, longest first. */
export function secretForms(material: SecretMaterial): string[] {
  const forms = new Set<string>();
  const values = [material.file.reveal(), ...Object.values(material.secrets).map((s) => s.reveal())];
  for (const value of values) {
    if (value.length === 0) continue;
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_FRAGMENT) forms.add(trimmed);
    }
  }
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * `text` with every form of every secret replaced by the redaction marker, and with a
 * trailing start of one cut off (text truncated mid-secret would otherwise show its head).
 * Also applies the logger's redaction (PEM private key blocks, registered passphrases).
 */
export function scrubSecrets(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) out = out.split(form).join(REDACTED);
  out = redactText(out);
  for (const form of forms) {
    for (let len = Math.min(form.length - 1, out.length); len >= MIN_FRAGMENT; len--) {
      if (out.endsWith(form.slice(0, len))) {
        out = `${out.slice(0, out.length - len)}${REDACTED}`;
        break;
      }
    }
  }
  return out;
}
