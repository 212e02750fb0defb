/** Reads a key's passphrase from the environment variable its config names. */
import { KeyplanError } from '../errors/errors.js';
import type { DesiredKey } from '../model/desired.js';
import { Secret } from '../model/secret.js';
import { registerSecretValue } from '../log/logger.js';
import { APPLY_CODES } from './codes.js';

/** The passphrase as a Secret, null for `passphrase: none`; throws naming the variable (never a value). */
export function readPassphrase(key: DesiredKey, env: Readonly<Record<string, string | undefined>>): Secret | null {
  if ('none' in key.passphrase) return null;
  const name = key.passphrase.env;
  const value = env[name];
  if (value === undefined || value === '') {
    throw new KeyplanError(`${key.name}: environment variable ${name} (passphrase) is not set`, {
      code: APPLY_CODES.passphraseMissing,
      source: 'user',
    });
  }
  registerSecretValue(value);
  return new Secret(value);
}
