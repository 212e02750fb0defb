/**
 * `kind: outscale.access_key`: an OUTSCALE access key (OAPI Create/Read/Update/DeleteAccessKey)
 * of an EIM user or of the caller. 10 keys per user and per account; state and lifetime
 * change in place; the secret key exists only in the create answer.
 */
import { InternalError } from '../../errors/errors.js';
import type { Attributes } from '../../model/desired.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import type { KindEntry, KindModule } from '../module.js';
import { optionalEntryString } from '../shared/kind-entry.js';
import { ownerOf } from './owner.js';
import { accessKeySchema } from './schema.js';

/**
 * owner = the EIM user name, or `(caller)` for the caller's own keys. attributes =
 * { user_name?, expires_in, state }: `expires_in` in the canonical duration form (`2160h`
 * becomes `90d`), the same form the adapter reports a live key's lifetime in, or null for a
 * key that never expires (so a live expiry is cleared when the declaration drops it).
 */
export const accessKeyKind: KindModule = {
  spec: {
    kind: 'outscale.access_key',
    providerType: 'outscale',
    quota: { group: 'outscale.user_access_keys', perOwner: 10, authority: 'OUTSCALE', noun: 'access keys' },
    replaceOn: ['user_name'],
    updatable: ['state', 'expires_in'],
    computed: ['access_key_id'],
    sensitive: ['secret_key'],
    rotationOrder: 'create_before_delete',
    canDeactivate: true,
  },
  schema: accessKeySchema,
  lifetime: { field: 'expires_in' },
  map(entry) {
    const userName = optionalEntryString(entry, 'user_name');
    const expires = optionalEntryString(entry, 'expires_in');
    const state = optionalEntryString(entry, 'state') ?? 'ACTIVE';
    const expiresIn = expires === undefined ? null : canonicalDuration(entry, expires);
    // Two literals, not a spread first: V8 would give each key's attributes a hidden class of its own (config/resolve.ts).
    const attributes: Attributes = userName !== undefined ? { user_name: userName, expires_in: expiresIn, state } : { expires_in: expiresIn, state };
    return { owner: ownerOf(userName), attributes };
  },
};

function canonicalDuration(entry: KindEntry, text: string): string {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InternalError(`Expected expires_in "${text}" of key "${entry.name}" to have been rejected by the schema`);
  return formatDuration(ms);
}
