/**
 * The KV v2 semantics on one stored secret, apart from HTTP: versions, check-and-set,
 * pruning beyond `max_versions`, soft delete, undelete, destroy, and the metadata views
 * the API answers with. Pure functions over the stored records (the clock is passed in).
 */
import { badRequest, CAS_MISMATCH, CAS_REQUIRED } from './errors.js';
import { DEFAULT_MAX_VERSIONS, type ResolvedVaultMount } from './options.js';

/** One version of a secret as stored. */
export interface StoredVersion {
  readonly createdAt: number;
  /** Soft delete time, epoch ms; null while the version is live. */
  deletedAt: number | null;
  destroyed: boolean;
  /** The secret's fields; null once destroyed. */
  data: Record<string, unknown> | null;
}

/** One secret (the metadata at a path) as stored. */
export interface StoredSecret {
  readonly createdAt: number;
  updatedAt: number;
  /** 0 for metadata written before any data. */
  currentVersion: number;
  oldestVersion: number;
  /** 0 means the mount's setting. */
  maxVersions: number;
  casRequired: boolean;
  /** Kept and shown, not enforced: the emulator never expires versions on its own. */
  deleteVersionAfter: string;
  customMetadata: Record<string, string> | null;
  /** By version number (as text, like the API's `versions` map). */
  versions: Record<string, StoredVersion>;
}

/** The metadata of a version, as `data/...` answers carry it. */
export interface VersionView {
  readonly created_time: string;
  readonly custom_metadata: Record<string, string> | null;
  readonly deletion_time: string;
  readonly destroyed: boolean;
  readonly version: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A fresh secret record with no versions yet. */
export function emptySecret(now: number): StoredSecret {
  return {
    createdAt: now,
    updatedAt: now,
    currentVersion: 0,
    oldestVersion: 0,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: '0s',
    customMetadata: null,
    versions: {},
  };
}

/** The metadata view of one version. */
export function versionView(secret: StoredSecret, version: number): VersionView {
  const v = secret.versions[String(version)];
  return {
    created_time: v === undefined ? '' : iso(v.createdAt),
    custom_metadata: secret.customMetadata,
    deletion_time: v?.deletedAt == null ? '' : iso(v.deletedAt),
    destroyed: v?.destroyed ?? false,
    version,
  };
}

/** The `metadata/...` answer's data. */
export function metadataView(secret: StoredSecret): Record<string, unknown> {
  const versions = Object.fromEntries(
    Object.entries(secret.versions)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([n, v]) => [n, { created_time: iso(v.createdAt), deletion_time: v.deletedAt === null ? '' : iso(v.deletedAt), destroyed: v.destroyed }]),
  );
  return {
    cas_required: secret.casRequired,
    created_time: iso(secret.createdAt),
    current_version: secret.currentVersion,
    custom_metadata: secret.customMetadata,
    delete_version_after: secret.deleteVersionAfter,
    max_versions: secret.maxVersions,
    oldest_version: secret.oldestVersion,
    updated_time: iso(secret.updatedAt),
    versions,
  };
}

/** Drops the oldest versions beyond the secret's (or else the mount's, or else 10) limit. */
export function prune(secret: StoredSecret, mount: ResolvedVaultMount): void {
  const limit = secret.maxVersions > 0 ? secret.maxVersions : mount.maxVersions > 0 ? mount.maxVersions : DEFAULT_MAX_VERSIONS;
  const numbers = Object.keys(secret.versions)
    .map(Number)
    .sort((a, b) => a - b);
  for (const n of numbers.slice(0, Math.max(0, numbers.length - limit))) delete secret.versions[String(n)];
  const kept = Object.keys(secret.versions).map(Number);
  secret.oldestVersion = kept.length === 0 ? 0 : Math.min(...kept);
}

/**
 * Writes a new version. `cas` is `options.cas` as sent (undefined when absent): when set it
 * must equal the current version (0 for a secret that does not exist yet, which is how
 * "create only" is written); when the mount or the secret requires cas it must be set.
 */
export function writeVersion(
  existing: StoredSecret | undefined,
  data: Record<string, unknown>,
  cas: number | undefined,
  mount: ResolvedVaultMount,
  now: number,
): StoredSecret {
  const secret = existing ?? emptySecret(now);
  if (cas === undefined && (mount.casRequired || secret.casRequired)) throw badRequest(CAS_REQUIRED);
  if (cas !== undefined && cas !== secret.currentVersion) throw badRequest(CAS_MISMATCH);
  const version = secret.currentVersion + 1;
  secret.versions[String(version)] = { createdAt: now, deletedAt: null, destroyed: false, data: structuredClone(data) };
  secret.currentVersion = version;
  secret.updatedAt = now;
  prune(secret, mount);
  return secret;
}

/** Version numbers of a `versions` body field; refuses anything but a non-empty list of positive integers. */
export function versionList(body: Record<string, unknown>): number[] {
  const raw = body['versions'];
  const list = Array.isArray(raw) ? raw : [];
  const numbers = list.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));
  if (numbers.length === 0 || !numbers.every((n): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0)) {
    throw badRequest('no version number provided');
  }
  return numbers;
}

/** Soft-deletes versions (the live ones among them); unknown numbers are skipped, as in Vault. */
export function softDelete(secret: StoredSecret, versions: readonly number[], now: number): void {
  for (const n of versions) {
    const v = secret.versions[String(n)];
    if (v !== undefined && !v.destroyed && v.deletedAt === null) v.deletedAt = now;
  }
  secret.updatedAt = now;
}

/** Undoes soft deletes (destroyed versions stay destroyed). */
export function undelete(secret: StoredSecret, versions: readonly number[], now: number): void {
  for (const n of versions) {
    const v = secret.versions[String(n)];
    if (v !== undefined && !v.destroyed) v.deletedAt = null;
  }
  secret.updatedAt = now;
}

/** Removes versions' data for good; their metadata stays, marked destroyed. */
export function destroy(secret: StoredSecret, versions: readonly number[], now: number): void {
  for (const n of versions) {
    const v = secret.versions[String(n)];
    if (v === undefined) continue;
    v.destroyed = true;
    v.data = null;
  }
  secret.updatedAt = now;
}
