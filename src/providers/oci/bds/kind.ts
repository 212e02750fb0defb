/**
 * `kind: oci.bds_api_key`: an OCI Big Data Service API key (Create/List/Get/DeleteBdsApiKey),
 * created by BDS on behalf of a user, private key kept on the cluster. Listed per cluster
 * (owner = cluster OCID), identified there by its alias; it occupies one of its user's IAM
 * key slots and shows up in the user's ListApiKeys under its fingerprint (providers/oci.md §2.4).
 */
import { InternalError } from '../../../errors/errors.js';
import type { AttributeValue } from '../../../model/desired.js';
import type { KindModule } from '../../module.js';
import { entryString } from '../../shared/kind-entry.js';
import { describeOciKey } from '../describe-key.js';
import { bdsApiKeySchema } from './schema.js';

/**
 * owner = the cluster OCID: BDS lists keys per cluster and the alias is unique there, so a
 * key's identity is cluster + alias. Its quota owner is the `user` attribute.
 * attributes = { cluster, alias, user, default_region?, test_connection_uri?,
 * test_connection_region? }; the test settings are flattened because attributes are scalars.
 */
export const bdsApiKeyKind: KindModule = {
  spec: {
    kind: 'oci.bds_api_key',
    providerType: 'oci',
    quota: { group: 'oci.user_api_keys', perOwner: 3, ownerAttribute: 'user', authority: 'OCI', noun: 'API keys' },
    alsoListedAs: { kind: 'oci.api_key', idAttribute: 'fingerprint' },
    matchAttribute: 'alias',
    // A cluster change moves the key (its owner); the other two replace it under its alias.
    replaceOn: ['cluster', 'alias', 'user', 'default_region'],
    updatable: [],
    computed: ['fingerprint'],
    sensitive: [],
    // The replacement reuses the alias, which must be free first (unique per cluster).
    rotationOrder: 'delete_before_create',
  },
  schema: bdsApiKeySchema,
  map(entry) {
    const cluster = entryString(entry, 'cluster');
    const attributes: Record<string, AttributeValue> = {
      cluster,
      alias: entryString(entry, 'alias'),
      user: entryString(entry, 'user'),
    };
    if (entry['default_region'] !== undefined) attributes['default_region'] = entryString(entry, 'default_region');
    const test = entry['test_connection'];
    if (test !== undefined) {
      const record = typeof test === 'object' && test !== null ? (test as Record<string, unknown>) : undefined;
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
  // The same snippet as for IAM keys: BDS uploads the key's public half to the user's API keys.
  describeKey: describeOciKey,
};
