/**
 * `kind: dataos.api_key`: a DataOS API key (Heimdall `users/{id}/tokens`), a token named
 * from `token_name`, whose rotations take the next generation name (`NAME-2`, `NAME-3`, …)
 * so old and new overlap. No per-user limit is documented, so no quota.
 */
import type { Attributes } from '../../model/desired.js';
import type { KindModule } from '../module.js';
import { optionalEntryString } from '../shared/kind-entry.js';
import { DATAOS_CALLER } from './caller.js';
import { dataosApiKeySchema } from './schema.js';

/** Token lifetime when the config leaves `duration` out: `dataos-ctl user apikey create`'s default. */
export const DATAOS_DEFAULT_DURATION = '24h';

/**
 * owner = `user`, or DATAOS_CALLER (whoever the provider's token belongs to) when the key
 * names none; attributes = { token_name (default: the key's name), duration, user? }.
 */
export const dataosApiKeyKind: KindModule = {
  spec: {
    kind: 'dataos.api_key',
    providerType: 'dataos',
    nameFamily: { declared: 'token_name', live: 'live_name' },
    // A token cannot be changed in place (no update call), so a new lifetime means a new token.
    replaceOn: ['token_name', 'duration', 'user'],
    updatable: [],
    // `user_id` is the resolved user (keys without `user` belong to the token's caller).
    computed: ['live_name', 'user_id', 'expiration'],
    sensitive: ['token'],
    rotationOrder: 'create_before_delete',
  },
  schema: dataosApiKeySchema,
  lifetime: { field: 'duration', default: DATAOS_DEFAULT_DURATION },
  map(entry) {
    const user = optionalEntryString(entry, 'user');
    const attributes: Attributes = {
      token_name: optionalEntryString(entry, 'token_name') ?? entry.name,
      duration: optionalEntryString(entry, 'duration') ?? DATAOS_DEFAULT_DURATION,
      ...(user === undefined ? {} : { user }),
    };
    return { owner: user ?? DATAOS_CALLER, attributes };
  },
  // Heimdall truncates expirations to the hour, so the one it reported (kept in state) beats creation + duration.
  expiresAt: (instance) => {
    const reported = instance.attributes['expiration'];
    return typeof reported === 'string' && reported !== '' ? reported : undefined;
  },
};
