/** `kind: outscale.access_key` — an OUTSCALE access key of an EIM user or of the caller. */
import { InternalError } from '../errors/errors.js';
import { formatDuration, parseDuration } from '../model/duration.js';
import { ownerOf } from '../providers/outscale/owner.js';
import type { KindMapper } from './kind-mapper.js';
import type { KeyEntry } from './types.js';

/**
 * owner = the EIM user name, or `(caller)` for the caller's own keys (OUTSCALE's 10-keys
 * quota is per user and per account). attributes = { user_name?, expires_in, state }:
 * `expires_in` in the canonical duration form (`2160h` becomes `90d`), the same form the
 * adapter reports a live key's lifetime in, or null for a key that never expires (so a
 * live expiry is cleared when the declaration drops it).
 */
export const outscaleAccessKeyMapper: KindMapper = {
  kind: 'outscale.access_key',
  map(entry) {
    const userName = optionalString(entry, 'user_name');
    const expires = optionalString(entry, 'expires_in');
    const state = optionalString(entry, 'state') ?? 'ACTIVE';
    return {
      owner: ownerOf(userName),
      attributes: {
        ...(userName !== undefined ? { user_name: userName } : {}),
        expires_in: expires === undefined ? null : canonicalDuration(entry, expires),
        state,
      },
    };
  },
};

function optionalString(entry: KeyEntry, field: string): string | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InternalError(`Expected \`${field}\` of key "${entry.name}" to be a string after schema validation, got ${typeof value}`);
  }
  return value;
}

function canonicalDuration(entry: KeyEntry, text: string): string {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InternalError(`Expected expires_in "${text}" of key "${entry.name}" to have been rejected by the schema`);
  return formatDuration(ms);
}
