/**
 * Mapping of the Identity `ApiKey` model (providers/oci.md §1.2) to keyplan's `LiveKey`.
 * Only identity and metadata cross over: `keyValue` (the public key) is read for its
 * modulus size and then dropped, so live records stay small and comparable by id.
 */
import type * as identity from 'oci-identity';
import type { LiveKey, LiveStatus } from '../../model/live.js';
import { bitsOf } from './keygen.js';

/** The kind this adapter manages. */
export const OCI_API_KEY_KIND = 'oci.api_key';

/**
 * keyplan status of an OCI lifecycle state; `undefined` for DELETED, which is reported
 * for a while after a delete but no longer occupies a key slot, so it is not live.
 * Unknown values (the SDK passes them through untouched) map to `inactive`: the key
 * exists and may count against the quota, but must not be treated as usable.
 */
export function liveStatusOf(state: string | undefined): LiveStatus | undefined {
  switch (state) {
    case 'CREATING':
      return 'creating';
    case 'ACTIVE':
      return 'active';
    case 'DELETING':
      return 'deleting';
    case 'DELETED':
      return undefined;
    default:
      return 'inactive';
  }
}

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

/** The SDK types `timeCreated` as Date but hands over the wire string (§1.2); accept both. */
function rfc3339(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return undefined;
}
