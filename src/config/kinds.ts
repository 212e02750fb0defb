/**
 * Registry of kind mappers. Adding a kind: an if/then block (and the enum entry) in
 * schemas/keys.schema.json, a KindSpec in providers/kinds.ts, a `kind-<name>.ts` mapper
 * here, and one line below.
 */
import type { KindMapper } from './kind-mapper.js';
import { ociApiKeyMapper } from './kind-oci-api-key.js';
import { ociBdsApiKeyMapper } from './kind-oci-bds-api-key.js';
import { dataosApiKeyMapper } from './kind-dataos-api-key.js';
import { outscaleAccessKeyMapper } from './kind-outscale-access-key.js';

/** Mappers by kind name. */
export const KIND_MAPPERS: Readonly<Record<string, KindMapper>> = {
  [ociApiKeyMapper.kind]: ociApiKeyMapper,
  [ociBdsApiKeyMapper.kind]: ociBdsApiKeyMapper,
  [dataosApiKeyMapper.kind]: dataosApiKeyMapper,
  [outscaleAccessKeyMapper.kind]: outscaleAccessKeyMapper,
};

/** Provider block settings the config fills in when a block leaves them out, by provider type. */
export const PROVIDER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  oci: { config_file: '~/.oci/config', profile: 'DEFAULT' },
  dataos: { auth_header: 'apikey' },
};

/** State backend when the config has no `state:` block. */
export const DEFAULT_STATE_PATH = '.keyplan/state.json';
