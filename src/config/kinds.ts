/**
 * Registry of kind mappers. Adding a kind: an if/then block (and the enum entry) in
 * schemas/keys.schema.json, a KindSpec in providers/kinds.ts, a `kind-<name>.ts` mapper
 * here, and one line below.
 */
import type { KindMapper } from './kind-mapper.js';
import { ociApiKeyMapper } from './kind-oci-api-key.js';

/** Mappers by kind name. */
export const KIND_MAPPERS: Readonly<Record<string, KindMapper>> = {
  [ociApiKeyMapper.kind]: ociApiKeyMapper,
};

/** Provider block settings the config fills in when a block leaves them out, by provider type. */
export const PROVIDER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  oci: { config_file: '~/.oci/config', profile: 'DEFAULT' },
};

/** State backend when the config has no `state:` block. */
export const DEFAULT_STATE_PATH = '.keyplan/state.json';
