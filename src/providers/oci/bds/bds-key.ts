/**
 * Mapping of the BDS `BdsApiKeySummary` / `BdsApiKey` models (providers/oci.md §2.1) to
 * keyplan's `LiveKey`. The listing owner is the cluster: keys are listed per cluster and
 * their alias is unique there. The user and fingerprint (only on GetBdsApiKey) become
 * attributes; the planner counts the key against its `user`'s IAM key slots and matches
 * it with its copy in the user's ListApiKeys by `fingerprint`.
 */
import type * as bds from 'oci-bds';
import type { AttributeValue, Attributes } from '../../../model/desired.js';
import type { LiveKey, LiveStatus } from '../../../model/live.js';
import { liveStatusOf, rfc3339 } from '../lifecycle.js';

/** The kind this part of the oci adapter manages. */
export const BDS_API_KEY_KIND = 'oci.bds_api_key';

/**
 * keyplan status of a BDS lifecycle state: the states BDS shares with IAM keys map as
 * theirs do (DELETED: gone; unknown: `inactive`). FAILED, which only BDS has, is
 * `failed`: such a key exists and may still hold its alias.
 */
export function bdsStatusOf(state: string | undefined): LiveStatus | undefined {
  return state === 'FAILED' ? 'failed' : liveStatusOf(state);
}

/** What a GET (or state's record of an earlier GET) adds to a summary; a key still being created may lack them. */
export interface BdsKeyDetails {
  readonly user?: string;
  readonly fingerprint?: string;
}

/** Where a key was listed: the provider block name and the cluster OCID. */
export interface BdsScope {
  readonly provider: string;
  readonly cluster: string;
}

/** Converts one summary plus its details; undefined for deleted keys and records without an id. */
export function toBdsLiveKey(summary: bds.models.BdsApiKeySummary, details: BdsKeyDetails, scope: BdsScope): LiveKey | undefined {
  const status = bdsStatusOf(summary.lifecycleState);
  if (status === undefined || typeof summary.id !== 'string' || summary.id === '') return undefined;
  const createdAt = rfc3339(summary.timeCreated);
  const attributes: Record<string, AttributeValue> = { cluster: scope.cluster, alias: summary.keyAlias };
  if (details.user !== undefined && details.user !== '') attributes['user'] = details.user;
  if (details.fingerprint !== undefined && details.fingerprint !== '') attributes['fingerprint'] = details.fingerprint.toLowerCase();
  if (typeof summary.defaultRegion === 'string' && summary.defaultRegion !== '') attributes['default_region'] = summary.defaultRegion;
  return {
    provider: scope.provider,
    kind: BDS_API_KEY_KIND,
    owner: scope.cluster,
    id: summary.id,
    status,
    ...(createdAt === undefined ? {} : { createdAt }),
    attributes,
  };
}

/** The details a full BdsApiKey carries. */
export function detailsOf(key: bds.models.BdsApiKey): BdsKeyDetails {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const user = str(key.userId);
  const fingerprint = str(key.fingerprint);
  return { ...(user === undefined ? {} : { user }), ...(fingerprint === undefined ? {} : { fingerprint }) };
}

/** The details state recorded for a key keyplan created, when it holds both (else the key is read again). */
export function recordedDetails(attributes: Attributes | undefined): BdsKeyDetails | undefined {
  const user = attributes?.['user'];
  const fingerprint = attributes?.['fingerprint'];
  return typeof user === 'string' && user !== '' && typeof fingerprint === 'string' && fingerprint !== '' ? { user, fingerprint } : undefined;
}

/** A full BdsApiKey viewed as a summary (after create, the GET is all there is). */
export function summaryOf(key: bds.models.BdsApiKey): bds.models.BdsApiKeySummary {
  return {
    id: key.id,
    keyAlias: key.keyAlias,
    lifecycleState: key.lifecycleState,
    defaultRegion: key.defaultRegion,
    timeCreated: key.timeCreated as Date,
  };
}
