/**
 * What the OCI SDK models of both key kinds (Identity `ApiKey`, BDS `BdsApiKey`) have in
 * common on their way to a `LiveKey`: the lifecycle states CREATING, ACTIVE, DELETING,
 * DELETED (providers/oci.md §1.2, §2.1) and a creation time the SDK mistypes.
 */
import type { LiveStatus } from '../../model/live.js';

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

/** The SDK types times as Date but hands over the wire string (providers/oci.md §1.2); accept both. */
export function rfc3339(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return undefined;
}
