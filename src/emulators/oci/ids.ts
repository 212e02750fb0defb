/** Identifiers the emulator mints: OCIDs and `opc-request-id` values. */
import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * An OCID shaped like the real ones: `ocid1.<type>.oc1..aaaaaaaa` followed by 52
 * lower-case base32 characters (keyplan's validators check the prefix and alphabet).
 */
export function mintOcid(type: 'tenancy' | 'user'): string {
  const bytes = randomBytes(52);
  let tail = '';
  for (const b of bytes) tail += BASE32[b % 32];
  return `ocid1.${type}.oc1..aaaaaaaa${tail}`;
}

function hexSegment(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

// What a client may put in `opc-request-id` for us to echo; anything else is replaced,
// so a header value can never smuggle characters into the response headers.
const CLIENT_ID = /^[A-Za-z0-9._\-/]{1,98}$/;

/**
 * The response's `opc-request-id`: three upper-case hex segments joined by `/`, the first
 * one echoing the client's own id when it sent one (as the real service does, §1.6).
 */
export function mintRequestId(clientId: string | undefined): string {
  const first = clientId !== undefined && CLIENT_ID.test(clientId) ? clientId : hexSegment();
  return `${first}/${hexSegment()}/${hexSegment()}`;
}
