/**
 * Offline checks of an `oci` provider block and its `oci.api_key` keys, beyond what the
 * JSON Schema expresses. No network and no file access: configure() checks the config
 * file and key_file later, when the block is actually used.
 */
import type { Diagnostic } from '../../errors/diagnostic.js';
import type { AttributeValue, DesiredKey } from '../../model/desired.js';
import type { ValidateRequest } from '../contract.js';
import { settingsDiagnostics } from '../shared/settings-problems.js';
import { OCI_API_KEY_KIND } from './api-key.js';
import { ALLOWED_KEY_BITS, DEFAULT_KEY_BITS } from './keygen.js';
import { parseOciSettings } from './settings.js';
import { OCI_CODES } from './codes.js';

/** Diagnostics for the block's settings and each key of this provider. */
export function validateOci(req: ValidateRequest): Diagnostic[] {
  const out: Diagnostic[] = settingsDiagnostics(req.block.name, parseOciSettings(req.block).problems, OCI_CODES.settings);
  for (const key of req.keys) {
    if (key.kind !== OCI_API_KEY_KIND) continue;
    const at = key.source === undefined ? {} : { range: key.source };
    if (keyBits(key.attributes['bits']) === undefined) {
      out.push({
        severity: 'error',
        code: OCI_CODES.unsupportedBits,
        message: `key "${key.name}": bits must be one of ${ALLOWED_KEY_BITS.join(', ')}, got ${JSON.stringify(key.attributes['bits'])}`,
        ...at,
      });
    }
    if (!key.owner.startsWith('ocid1.user.')) {
      // A warning only: sandboxes and private clouds may use other id shapes.
      out.push({
        severity: 'warning',
        code: OCI_CODES.ownerNotUserOcid,
        message: `key "${key.name}": user "${key.owner}" does not look like a user OCID (ocid1.user.…)`,
        ...at,
      });
    }
  }
  return out;
}

/** The modulus size a key declares (default 2048), or undefined when it is not allowed. */
export function keyBits(value: AttributeValue | undefined): number | undefined {
  if (value === undefined || value === null) return DEFAULT_KEY_BITS;
  return typeof value === 'number' && ALLOWED_KEY_BITS.includes(value) ? value : undefined;
}

/** `keyBits` of a declared key. */
export function declaredBits(key: DesiredKey): number | undefined {
  return keyBits(key.attributes['bits']);
}
