/**
 * Static metadata of every key kind, cheap to import (no SDKs): the planner and the
 * config layer read it without loading any adapter.
 */
import type { KindSpec } from './contract.js';

/** OCI IAM API signing key (Identity ListApiKeys / UploadApiKey / DeleteApiKey). */
export const ociApiKey: KindSpec = {
  kind: 'oci.api_key',
  providerType: 'oci',
  // OCI allows 3 API signing keys per user; BDS keys share the same slots.
  quota: { group: 'oci.user_api_keys', perOwner: 3 },
  replaceOn: ['user', 'bits'],
  updatable: [],
  computed: ['fingerprint'],
  sensitive: ['private_key'],
  rotationOrder: 'create_before_delete',
};

/** All kinds by name. */
export const KINDS: Readonly<Record<string, KindSpec>> = {
  [ociApiKey.kind]: ociApiKey,
};
