/**
 * Stable codes of the OCI provider's own errors and diagnostics (`KP_OCI_*`); failed
 * service calls are ProviderErrors. A code never changes meaning once released.
 */

/** Codes of OCI (IAM API keys and BDS API keys) errors. */
export const OCI_CODES = {
  /** An oci.api_key's `bits` is not a supported key size. */
  unsupportedBits: 'KP_OCI_E0001',
  /** The passphrase of a key to generate is empty (only `passphrase: none` means unencrypted). */
  emptyPassphrase: 'KP_OCI_E0002',
  /** A malformed line in an OCI config file. */
  configFileSyntax: 'KP_OCI_E0010',
  /** An OCI config file cannot be read. */
  configFileUnreadable: 'KP_OCI_E0011',
  /** An OCI config file has no such profile. */
  configProfileMissing: 'KP_OCI_E0012',
  /** An OCI config profile lacks a setting or names an unusable key file. */
  configProfileUnusable: 'KP_OCI_E0013',
  /** The variable named by `pass_phrase_env` is not set. */
  passPhraseEnvMissing: 'KP_OCI_E0014',
  /** The OCI SDK cannot use the signing key of the profile. */
  signingKeyUnusable: 'KP_OCI_E0015',
  /** The provider block's settings are invalid. */
  settings: 'KP_OCI_E0020',
  /** An oci.bds_api_key has no passphrase. */
  bdsPassphraseMissing: 'KP_OCI_E0030',
  /** Two oci.bds_api_key keys with the same alias on the same cluster (was KP_CONFIG_E0320 while config/ checked it). */
  duplicateBdsAlias: 'KP_OCI_E0031',
  /** An oci.bds_api_key names a cluster GetBdsInstance does not find (or finds DELETED/FAILED). */
  bdsClusterNotFound: 'KP_OCI_E0032',
  /** ListApiKeys answers 404 for a declared user OCID: no such user, or the caller may not read its keys. */
  userNotFound: 'KP_OCI_E0033',
  /** A key's owner does not look like a user OCID (a warning: sandboxes use other shapes). */
  ownerNotUserOcid: 'KP_OCI_W0001',
} as const;
