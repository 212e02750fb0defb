/** `kind: oci.api_key`: an OCI IAM API signing key of one user (ListApiKeys / UploadApiKey / DeleteApiKey). */
import type { KindModule } from '../module.js';
import { entryNumber, entryString } from '../shared/kind-entry.js';
import { describeOciKey } from './describe-key.js';
import { ociApiKeySchema } from './schema.js';

/** RSA modulus size when the config leaves `bits` out (the schema's `default`). */
export const OCI_API_KEY_DEFAULT_BITS = 2048;

/** owner = the user OCID (OCI's 3-keys quota is per user); attributes = { user, bits }. */
export const ociApiKeyKind: KindModule = {
  spec: {
    kind: 'oci.api_key',
    providerType: 'oci',
    // OCI allows 3 API signing keys per user; BDS keys share the same slots.
    quota: { group: 'oci.user_api_keys', perOwner: 3, authority: 'OCI', noun: 'API keys' },
    replaceOn: ['user', 'bits'],
    updatable: [],
    computed: ['fingerprint'],
    sensitive: ['private_key'],
    rotationOrder: 'create_before_delete',
  },
  schema: ociApiKeySchema,
  map(entry) {
    const user = entryString(entry, 'user');
    const bits = entryNumber(entry, 'bits', OCI_API_KEY_DEFAULT_BITS);
    return { owner: user, attributes: { user, bits } };
  },
  describeKey: describeOciKey,
};
