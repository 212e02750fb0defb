/** `kind: oci.api_key` — an OCI IAM API signing key of one user. */
import type { KindMapper } from './kind-mapper.js';
import { schemaNumber, schemaString } from './kind-mapper.js';

/** RSA modulus size when the config leaves `bits` out (the schema's `default`). */
export const OCI_API_KEY_DEFAULT_BITS = 2048;

/** owner = the user OCID (OCI's 3-keys quota is per user); attributes = { user, bits }. */
export const ociApiKeyMapper: KindMapper = {
  kind: 'oci.api_key',
  map(entry) {
    const user = schemaString(entry, 'user');
    const bits = schemaNumber(entry, 'bits', OCI_API_KEY_DEFAULT_BITS);
    return { owner: user, attributes: { user, bits } };
  },
};
