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

/**
 * OCI Big Data Service API key (Create/List/Get/DeleteBdsApiKey): created by BDS on behalf
 * of a user, private key kept on the cluster. Listed per cluster (owner = cluster OCID),
 * identified there by its alias; it occupies one of its user's IAM key slots and shows up
 * in the user's ListApiKeys under its fingerprint (providers/oci.md §2.4).
 */
export const ociBdsApiKey: KindSpec = {
  kind: 'oci.bds_api_key',
  providerType: 'oci',
  quota: { group: 'oci.user_api_keys', perOwner: 3, ownerAttribute: 'user' },
  alsoListedAs: { kind: 'oci.api_key', idAttribute: 'fingerprint' },
  matchAttribute: 'alias',
  // A cluster change moves the key (its owner); the other two replace it under its alias.
  replaceOn: ['cluster', 'alias', 'user', 'default_region'],
  updatable: [],
  computed: ['fingerprint'],
  sensitive: [],
  // The replacement reuses the alias, which must be free first (unique per cluster).
  rotationOrder: 'delete_before_create',
};

/**
 * DataOS API key (Heimdall `users/{id}/tokens`): a token named from `token_name`, whose
 * rotations take the next generation name (`NAME-2`, `NAME-3`, …) so old and new overlap.
 * No per-user limit is documented, so no quota.
 */
export const dataosApiKey: KindSpec = {
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
};

/**
 * OUTSCALE access key (OAPI Create/Read/Update/DeleteAccessKey). Owner = the EIM user, or
 * `(caller)` for the caller's own keys; 10 keys per user and per account. State and
 * lifetime change in place; the secret key exists only in the create answer.
 */
export const outscaleAccessKey: KindSpec = {
  kind: 'outscale.access_key',
  providerType: 'outscale',
  quota: { group: 'outscale.user_access_keys', perOwner: 10 },
  replaceOn: ['user_name'],
  updatable: ['state', 'expires_in'],
  computed: ['access_key_id'],
  sensitive: ['secret_key'],
  rotationOrder: 'create_before_delete',
};

/** All kinds by name. */
export const KINDS: Readonly<Record<string, KindSpec>> = {
  [ociApiKey.kind]: ociApiKey,
  [outscaleAccessKey.kind]: outscaleAccessKey,
  [ociBdsApiKey.kind]: ociBdsApiKey,
  [dataosApiKey.kind]: dataosApiKey,
};
