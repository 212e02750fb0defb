/**
 * Mapping of the Identity `ApiKey` model (providers/oci.md §1.2) to keyplan's `LiveKey`.
 * Only identity and metadata cross over: `keyValue` (the public key) is read for its
 * modulus size and then dropped, so live records stay small and comparable by id.
 */
import type * as identity from 'oci-identity';
import type { LiveKey } from '../../model/live.js';
import { bitsOf } from './keygen.js';
import { liveStatusOf, rfc3339 } from './lifecycle.js';

/** The kind this adapter manages. */
export const OCI_API_KEY_KIND = 'oci.api_key';

/** Where a live key was read: the provider block name and the user OCID listed. */
export interface ApiKeyScope {
  readonly provider: string;
  readonly owner: string;
}

/** Converts one ApiKey; `undefined` for deleted keys and records without a fingerprint. */
export function toLiveKey(key: identity.models.ApiKey, scope: ApiKeyScope): LiveKey | undefined {
  const status = liveStatusOf(key.lifecycleState);
  const fingerprint = key.fingerprint?.toLowerCase();
  if (status === undefined || fingerprint === undefined || fingerprint === '') return undefined;
  const bits = key.keyValue === undefined ? undefined : bitsOf(key.keyValue);
  const createdAt = rfc3339(key.timeCreated);
  return {
    provider: scope.provider,
    kind: OCI_API_KEY_KIND,
    owner: scope.owner,
    id: fingerprint,
    status,
    ...(createdAt === undefined ? {} : { createdAt }),
    attributes: {
      user: key.userId ?? scope.owner,
      fingerprint,
      ...(bits === undefined ? {} : { bits }),
    },
  };
}
