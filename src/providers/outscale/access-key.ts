/**
 * OUTSCALE access keys on the wire and as keyplan LiveKeys (providers/outscale-dataos.md
 * §A2): validating `AccessKeys` items, reading OAPI dates, the `Tag` marker that names
 * the keyplan key, and the `expires_in` a live key reports (its expiry minus its
 * creation, to the minute, so it compares with the declared lifetime).
 */
import { createHash } from 'node:crypto';
import { ProviderError } from '../../errors/errors.js';
import type { LiveKey } from '../../model/live.js';
import { formatDuration } from '../../model/duration.js';
import { isoOf } from '../../model/iso-time.js';
import { CALLER_OWNER } from './owner.js';

/** The kind this adapter manages. */
export const OUTSCALE_ACCESS_KEY_KIND = 'outscale.access_key';

/** States an access key can be in. */
export type AccessKeyState = 'ACTIVE' | 'INACTIVE';

/** An access key as ReadAccessKeys / CreateAccessKey / UpdateAccessKey return it (no secret). */
export interface WireAccessKey {
  readonly AccessKeyId: string;
  readonly State: AccessKeyState;
  readonly CreationDate?: string;
  readonly ExpirationDate?: string;
  readonly Tag?: string;
}

/** What every marker Tag starts with. */
export const MARKER_PREFIX = 'keyplan:';

const MARKER = /^keyplan:([a-z0-9][a-z0-9_-]{0,63})(?::[0-9a-f]{1,32})?$/;
const MINUTE = 60_000;

/**
 * The `Tag` of a key keyplan creates: the key name plus a nonce derived from the create's
 * idempotency token, so the keys of one create attempt can be found again exactly when
 * its answer was lost.
 */
export function markerTag(name: string, token: string): string {
  return `${MARKER_PREFIX}${name}:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
}

/** The keyplan key name a Tag marks, or undefined when the Tag is not keyplan's. */
export function markerOf(tag: string | undefined): string | undefined {
  return tag === undefined ? undefined : MARKER.exec(tag)?.[1];
}

/** Epoch ms of an OAPI date (`2063-04-05T00:00:00.000+0000`, `…Z`, or a bare date = midnight UTC). */
export function parseOapiDate(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  // The form OAPI answers with (2063-04-05T00:00:00.000+0000), without the regular
  // expressions below: a refresh reads two or three dates per key.
  if (text.length === 28 && text.endsWith('+0000') && text[10] === 'T') {
    const utc = Date.parse(`${text.slice(0, 23)}Z`);
    if (!Number.isNaN(utc)) return utc;
  }
  const normal = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normal);
  return Number.isNaN(ms) ? undefined : ms;
}

/** toISOString's form of an OAPI date `text` that parsed to `ms`: for the usual `…+0000`, its own text ending in Z. */
function isoOfOapi(text: string, ms: number): string {
  return text.length === 28 && text.endsWith('+0000') ? isoOf(`${text.slice(0, 23)}Z`, ms) : new Date(ms).toISOString();
}

/** An ExpirationDate to send: ISO 8601 with milliseconds, UTC. */
export function formatOapiDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** A key's lifetime as the planner compares it: expiry minus creation, rounded to the minute. */
export function lifetimeText(createdMs: number, expiresMs: number): string {
  return formatDuration(Math.max(0, Math.round((expiresMs - createdMs) / MINUTE) * MINUTE));
}

/** Where a list of keys was read from. */
export interface ListScope {
  /** Provider block name. */
  readonly provider: string;
  /** EIM user name, or undefined for the caller's own keys. */
  readonly userName?: string;
}

/** The live record of a wire key: id, status, dates, marker and the attributes the planner compares. */
export function toLiveKey(k: WireAccessKey, scope: ListScope): LiveKey {
  const created = parseOapiDate(k.CreationDate);
  const expires = parseOapiDate(k.ExpirationDate);
  const marker = markerOf(k.Tag);
  return {
    provider: scope.provider,
    kind: OUTSCALE_ACCESS_KEY_KIND,
    owner: scope.userName ?? CALLER_OWNER,
    id: k.AccessKeyId,
    // An expired key still lists as ACTIVE (§A2); the planner sees the expiry separately.
    status: k.State === 'ACTIVE' ? 'active' : 'inactive',
    ...(created !== undefined ? { createdAt: isoOfOapi(k.CreationDate as string, created) } : {}),
    ...(expires !== undefined ? { expiresAt: isoOfOapi(k.ExpirationDate as string, expires) } : {}),
    attributes: {
      access_key_id: k.AccessKeyId,
      state: k.State,
      expires_in: expires === undefined ? null : created === undefined ? null : lifetimeText(created, expires),
      // Matched against a create intent's Tag when a run died before recording the key.
      tag: k.Tag ?? null,
    },
    ...(marker !== undefined ? { marker } : {}),
  };
}

/** The `AccessKeys` of a ReadAccessKeys answer, checked; `action` names the call in errors. */
export function readAccessKeyList(body: Readonly<Record<string, unknown>>, provider: string): WireAccessKey[] {
  const list = body['AccessKeys'];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw malformed(provider, 'ReadAccessKeys', 'AccessKeys is not a list');
  return list.map((item) => readAccessKey(item, provider, 'ReadAccessKeys'));
}

/** The `AccessKey` object of a Create/Update answer, checked. */
export function readAccessKeyObject(body: Readonly<Record<string, unknown>>, provider: string, action: string): WireAccessKey {
  return readAccessKey(body['AccessKey'], provider, action);
}

/** The SecretKey of a CreateAccessKey answer (never logged, never put in an error). */
export function readSecretKey(body: Readonly<Record<string, unknown>>, provider: string): string {
  const key = body['AccessKey'];
  const secret = typeof key === 'object' && key !== null ? (key as Record<string, unknown>)['SecretKey'] : undefined;
  if (typeof secret !== 'string' || secret === '') throw malformed(provider, 'CreateAccessKey', 'the answer has no SecretKey');
  return secret;
}

function readAccessKey(item: unknown, provider: string, action: string): WireAccessKey {
  if (typeof item !== 'object' || item === null) throw malformed(provider, action, 'an access key is not an object');
  const o = item as Record<string, unknown>;
  const id = o['AccessKeyId'];
  const state = o['State'];
  if (typeof id !== 'string' || id === '') throw malformed(provider, action, 'an access key has no AccessKeyId');
  if (state !== 'ACTIVE' && state !== 'INACTIVE') throw malformed(provider, action, `access key ${id} has State ${JSON.stringify(state)}`);
  const opt = (name: string): string | undefined => (typeof o[name] === 'string' && o[name] !== '' ? (o[name] as string) : undefined);
  const [created, expires, tag] = [opt('CreationDate'), opt('ExpirationDate'), opt('Tag')];
  return {
    AccessKeyId: id,
    State: state,
    ...(created !== undefined ? { CreationDate: created } : {}),
    ...(expires !== undefined ? { ExpirationDate: expires } : {}),
    ...(tag !== undefined ? { Tag: tag } : {}),
  };
}

function malformed(provider: string, action: string, why: string): ProviderError {
  return new ProviderError(`outscale: ${action}: unexpected answer: ${why}`, { provider, operation: action, retryable: false });
}
