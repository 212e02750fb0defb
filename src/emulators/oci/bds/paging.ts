/**
 * `limit` / `page` in, `opc-next-page` out (providers/oci.md §2.3, §7.12). Page tokens are
 * opaque base64url, so they survive the SDK's unencoded query strings, and they are bound
 * to the listing they came from: a token replayed against another cluster, filter or sort
 * order is refused instead of silently skipping items.
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from '../errors.js';

/** Largest `limit` accepted ([guess]: OCI list calls commonly cap at 1000). */
export const MAX_PAGE_SIZE = 1000;

/** One page of a listing. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Token of the next page; absent on the last one. */
  readonly nextPage?: string;
}

function scopeDigest(scope: string, query: URLSearchParams): string {
  const rest = [...query.entries()].filter(([k]) => k !== 'page' && k !== 'limit').sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(scope).update(JSON.stringify(rest)).digest('base64url').slice(0, 12);
}

function parseLimit(raw: string | null, fallback: number): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PAGE_SIZE) throw invalidParameter(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  return n;
}

/** Cuts the page `query` asks for out of `items` (already filtered and sorted). */
export function paginate<T>(items: readonly T[], query: URLSearchParams, scope: string, defaultLimit: number): Page<T> {
  const limit = parseLimit(query.get('limit'), defaultLimit);
  const digest = scopeDigest(scope, query);
  let offset = 0;
  const token = query.get('page');
  if (token !== null) {
    const [offsetText = '', tokenDigest] = Buffer.from(token, 'base64url').toString('utf8').split('.', 2);
    if (!/^[A-Za-z0-9_-]+$/.test(token) || !/^\d+$/.test(offsetText) || tokenDigest !== digest) {
      throw invalidParameter('The page token is not valid for this request.');
    }
    offset = Number(offsetText);
  }
  const end = offset + limit;
  const page = items.slice(offset, end);
  return end < items.length ? { items: page, nextPage: Buffer.from(`${end}.${digest}`).toString('base64url') } : { items: page };
}

/** The `sortOrder` query value, or `fallback` when absent; 400 on anything but ASC/DESC. */
export function sortOrderOf(query: URLSearchParams, fallback: 'ASC' | 'DESC'): 'ASC' | 'DESC' {
  const raw = query.get('sortOrder');
  if (raw === null) return fallback;
  if (raw !== 'ASC' && raw !== 'DESC') throw invalidParameter('sortOrder must be ASC or DESC.');
  return raw;
}

/** The `sortBy` query value (timeCreated unless given); 400 on another field. */
export function sortByOf(query: URLSearchParams): 'timeCreated' | 'displayName' {
  const raw = query.get('sortBy') ?? 'timeCreated';
  if (raw !== 'timeCreated' && raw !== 'displayName') throw invalidParameter('sortBy must be timeCreated or displayName.');
  return raw;
}
