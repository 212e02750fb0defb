/** `kind: oci.bds_api_key` — an OCI Big Data Service API key a cluster holds for a user. */
import type { AttributeValue } from '../model/desired.js';
import { InternalError } from '../errors/errors.js';
import type { KindMapper } from './kind-mapper.js';
import { schemaString } from './kind-mapper.js';
import { asRecord } from './raw.js';

/**
 * owner = the cluster OCID: BDS lists keys per cluster and the alias is unique there, so a
 * key's identity is cluster + alias. Its quota owner is the `user` attribute (KindSpec).
 * attributes = { cluster, alias, user, default_region?, test_connection_uri?,
 * test_connection_region? }; the test settings are flattened because attributes are scalars.
 */
export const ociBdsApiKeyMapper: KindMapper = {
  kind: 'oci.bds_api_key',
  map(entry) {
    const cluster = schemaString(entry, 'cluster');
    const attributes: Record<string, AttributeValue> = {
      cluster,
      alias: schemaString(entry, 'alias'),
      user: schemaString(entry, 'user'),
    };
    if (entry['default_region'] !== undefined) attributes['default_region'] = schemaString(entry, 'default_region');
    const test = entry['test_connection'];
    if (test !== undefined) {
      const record = asRecord(test);
      const uri = record?.['object_storage_uri'];
      const region = record?.['region'];
      if (typeof uri !== 'string' || (region !== undefined && typeof region !== 'string')) {
        throw new InternalError(`Expected \`test_connection\` of key "${entry.name}" to be {object_storage_uri, region?} after schema validation`);
      }
      attributes['test_connection_uri'] = uri;
      if (region !== undefined) attributes['test_connection_region'] = region;
    }
    return { owner: cluster, attributes };
  },
};
