/** `kind: dataos.api_key` — a DataOS API key token of one user, through Heimdall. */
import type { Attributes } from '../model/desired.js';
import { DATAOS_CALLER } from '../providers/dataos/caller.js';
import type { KindMapper } from './kind-mapper.js';
import { schemaString } from './kind-mapper.js';
import type { KeyEntry } from './types.js';

/** Token lifetime when the config leaves `duration` out: `dataos-ctl user apikey create`'s default. */
export const DATAOS_DEFAULT_DURATION = '24h';

function optionalString(entry: KeyEntry, field: string): string | undefined {
  return entry[field] === undefined ? undefined : schemaString(entry, field);
}

/**
 * owner = `user`, or DATAOS_CALLER (whoever the provider's token belongs to) when the key
 * names none; attributes = { token_name (default: the key's name), duration, user? }.
 */
export const dataosApiKeyMapper: KindMapper = {
  kind: 'dataos.api_key',
  map(entry) {
    const user = optionalString(entry, 'user');
    const attributes: Attributes = {
      token_name: optionalString(entry, 'token_name') ?? entry.name,
      duration: optionalString(entry, 'duration') ?? DATAOS_DEFAULT_DURATION,
      ...(user === undefined ? {} : { user }),
    };
    return { owner: user ?? DATAOS_CALLER, attributes };
  },
};
