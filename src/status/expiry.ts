/**
 * A recorded key's expiry, from state alone: the kind's own reading (`KindModule.expiresAt`,
 * e.g. an expiration the provider reported and state kept) or else the key's creation plus
 * its declared lifetime (`KindModule.lifetime`), as created. Kinds whose keys never expire
 * have neither.
 */
import { parseDuration } from '../model/duration.js';
import type { ManagedKey } from '../model/state.js';
import type { KindModule } from '../providers/module.js';

/** RFC 3339 expiry of `record`'s current key, or undefined when it has none (or none is known). */
export function recordedExpiry(kind: KindModule | undefined, record: ManagedKey): string | undefined {
  if (kind === undefined) return undefined;
  const { current } = record;
  const own = kind.expiresAt?.(current);
  if (own !== undefined) return own;
  if (kind.lifetime === undefined) return undefined;
  const written = current.attributes[kind.lifetime.field];
  // null: declared without expiry; absent: the kind's default lifetime applies.
  const text = written === undefined ? kind.lifetime.default : typeof written === 'string' ? written : undefined;
  const ms = text === undefined ? undefined : parseDuration(text);
  const created = Date.parse(current.createdAt);
  return ms === undefined || Number.isNaN(created) ? undefined : new Date(created + ms).toISOString();
}
