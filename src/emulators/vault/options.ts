/**
 * Options of the Vault / OpenBao KV v2 emulator and their defaults. The KV v2 API is
 * documented; what the documentation leaves open (the order of checks, the exact wording
 * of injected faults, how namespaces come to exist) is marked [guess] or [inference] and
 * is an option or a named constant, so whoever learns the real answer switches it here.
 */
import { nonNegative, resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from '../shared/index.js';

/** One KV v2 mount the emulator serves in every namespace. */
export interface VaultMountOptions {
  /** Mount path without slashes at either end, e.g. `secret` or `team/kv`. */
  readonly path: string;
  /** Versions kept per secret unless its metadata says otherwise; 0 means Vault's 10. @default 0 */
  readonly maxVersions?: number;
  /** Every write must carry `options.cas`. @default false */
  readonly casRequired?: boolean;
}

/**
 * How to start the emulator: the server options every emulator takes (port 0 picks a free
 * one; `dataDir` persists the store with mode 0600, none keeps it in memory; `latencyMs`;
 * `failRate`, the fraction of requests answered 429 or 500; `seed` for deterministic faults),
 * and its own.
 */
export interface VaultEmulatorOptions extends ServerOptions {
  /** The emulator's clock (created, updated and deletion times), epoch ms. @default Date.now */
  now?: () => number;
  /** The KV v2 mounts. @default [{ path: 'secret' }] (a dev server's mount) */
  mounts?: readonly VaultMountOptions[];
  /** Prefix of the tokens the emulator mints: Vault's service tokens start `hvs.`, OpenBao's `s.`. @default 'hvs.' */
  tokenPrefix?: string;
  /** Starts sealed: every API call but `sys/health` answers 503. @default false */
  sealed?: boolean;
  /** The next `count` mutating KV calls answer `status` instead of being served. @default none */
  failWrites?: { readonly status: number; readonly count: number };
  /**
   * [inference] Reading a soft-deleted or destroyed version answers 404 with the version's
   * metadata and `data: null` in the envelope (what `vault kv get` prints for a deleted
   * secret), or a bare `{"errors":[]}`. @default 'metadata'
   */
  deletedRead?: 'metadata' | 'empty';
}

/** A mount with its defaults filled in. */
export interface ResolvedVaultMount {
  readonly path: string;
  readonly maxVersions: number;
  readonly casRequired: boolean;
}

/** Options with every default filled in. */
export interface ResolvedVaultOptions extends ResolvedServerOptions {
  readonly now: () => number;
  readonly mounts: readonly ResolvedVaultMount[];
  readonly tokenPrefix: string;
  readonly sealed: boolean;
  readonly failWrites: { readonly status: number; readonly count: number } | undefined;
  readonly deletedRead: 'metadata' | 'empty';
}

/** Versions Vault keeps when neither the mount nor the secret sets `max_versions`. */
export const DEFAULT_MAX_VERSIONS = 10;

const MOUNT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Checks an injected status: a 4xx or 5xx code. */
export function checkFaultStatus(name: string, status: number): number {
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new TypeError(`Expected \`${name}\` to be a 4xx or 5xx status, got \`${status}\``);
  return status;
}

/** Fills in defaults and rejects values that make no sense (programmer errors). */
export function resolveVaultOptions(options: VaultEmulatorOptions = {}): ResolvedVaultOptions {
  const mounts = (options.mounts ?? [{ path: 'secret' }]).map((m, i) => {
    if (!MOUNT_PATH.test(m.path)) throw new TypeError(`Expected \`mounts[${i}].path\` to be a mount path such as \`secret\`, got \`${m.path}\``);
    return { path: m.path, maxVersions: nonNegative(`mounts[${i}].maxVersions`, m.maxVersions, 0, true), casRequired: m.casRequired ?? false };
  });
  if (new Set(mounts.map((m) => m.path)).size !== mounts.length) throw new TypeError('Expected `mounts` to name each path once');
  // An empty folder name would put the store (root token and secrets) in the working folder.
  if (options.dataDir === '') throw new TypeError('Expected `dataDir` to name a folder, got ``');
  const fail = options.failWrites;
  return {
    ...resolveServerOptions(options),
    now: options.now ?? Date.now,
    mounts,
    tokenPrefix: options.tokenPrefix ?? 'hvs.',
    sealed: options.sealed ?? false,
    failWrites:
      fail === undefined
        ? undefined
        : { status: checkFaultStatus('failWrites.status', fail.status), count: nonNegative('failWrites.count', fail.count, 0, true) },
    deletedRead: options.deletedRead ?? 'metadata',
  };
}
