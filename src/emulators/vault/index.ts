/**
 * src/emulators/vault: an HTTP server of the HashiCorp Vault / OpenBao KV version 2 API:
 * token auth (`X-Vault-Token`) with a root token minted on first start and kept in the
 * data folder, tokens holding policy rules (enough to answer 403 as Vault does), KV v2
 * mounts (`secret/` by default) with versions, metadata (`current_version`,
 * `max_versions`, `versions`, `cas_required`), check-and-set exactly as documented (cas 0
 * writes only a secret that does not exist), soft delete, undelete and destroy,
 * namespaces (`X-Vault-Namespace`), `{"errors": [...]}` bodies, a seal (503), latency,
 * random faults and injected statuses for the next writes.
 *
 * Files: options (defaults and guesses), errors (bodies), policy (ACL rules), kv (version
 * semantics), store (data), routes + handlers (the API), server (request order; the HTTP
 * skeleton, store file and fault dice are ../shared).
 */
import { randomBytes } from 'node:crypto';
import { checkFaultStatus, resolveVaultOptions, type ResolvedVaultOptions, type VaultEmulatorOptions } from './options.js';
import { CAPABILITIES, type PolicyRule } from './policy.js';
import { startVaultServer, type VaultControls, type VaultRequestLogEntry } from './server.js';
import { VaultStore, type SecretAddress } from './store.js';
import type { StoredSecret } from './kv.js';

export type { VaultEmulatorOptions, VaultMountOptions } from './options.js';
export type { VaultRequestLogEntry } from './server.js';
export type { Capability, PolicyRule } from './policy.js';
export { CAS_MISMATCH, CAS_REQUIRED, PERMISSION_DENIED, SEALED } from './errors.js';

/** A running Vault emulator. */
export interface VaultEmulator {
  /** e.g. `http://127.0.0.1:PORT`; the API lives under `/v1`. */
  readonly url: string;
  /** The root token (created on first start, kept in the data folder). */
  readonly rootToken: string;
  /** Mints a token holding these policy rules (paths after `/v1/`, namespace first). */
  createToken(rules: readonly PolicyRule[], displayName?: string): string;
  /** Answers `status` to the next `count` mutating KV calls (writes, deletes, metadata writes). */
  failNextWrites(status: number, count?: number): void;
  /** Seals (every call but `sys/health` answers 503) or unseals the emulator. */
  setSealed(sealed: boolean): void;
  /** The secret record at an address straight from the store (tests read versions and data), or undefined. */
  secret(path: string, options?: { readonly mount?: string; readonly namespace?: string }): StoredSecret | undefined;
  /** Served requests in order: method, path, status (never headers or bodies). */
  readonly requestLog: readonly VaultRequestLogEntry[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Mints a token in Vault's format: the prefix and 24 base62 characters. */
function mintToken(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // 62 does not divide 256; dropping bytes >= 248 keeps every character equally likely.
  let out = '';
  while (out.length < 24) {
    for (const byte of randomBytes(32)) if (byte < 248 && out.length < 24) out += alphabet[byte % 62];
  }
  return `${prefix}${out}`;
}

function openStore(opts: ResolvedVaultOptions): VaultStore {
  const store = new VaultStore(opts.dataDir, () => ({ formatVersion: 1, rootToken: mintToken(opts.tokenPrefix), tokens: {}, secrets: {} }));
  // A fresh store, or one whose root token record was lost, gets its root token (back).
  if (store.token(store.rootToken) === undefined) {
    store.addToken(store.rootToken, { displayName: 'root', root: true, rules: [] });
    store.commit();
  }
  return store;
}

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startVaultEmulator(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const resolved = resolveVaultOptions(options);
  const store = openStore(resolved);
  const log: VaultRequestLogEntry[] = [];
  const fail = resolved.failWrites;
  const controls: VaultControls = { sealed: resolved.sealed, failWrites: fail === undefined ? undefined : { status: fail.status, remaining: fail.count } };
  const server = await startVaultServer({ store, options: resolved, controls, log });
  return {
    url: server.url,
    rootToken: store.rootToken,
    createToken(rules: readonly PolicyRule[], displayName = 'token'): string {
      for (const rule of rules) {
        const bad = rule.capabilities.find((c) => !CAPABILITIES.includes(c));
        if (bad !== undefined) throw new TypeError(`Expected a capability of ${CAPABILITIES.join(', ')}, got \`${bad}\``);
      }
      store.sync();
      const token = mintToken(resolved.tokenPrefix);
      store.addToken(token, { displayName, root: false, rules: rules.map((r) => ({ path: r.path, capabilities: [...r.capabilities] })) });
      store.commit();
      return token;
    },
    failNextWrites(status: number, count = 1): void {
      controls.failWrites = { status: checkFaultStatus('status', status), remaining: count };
    },
    setSealed(sealed: boolean): void {
      controls.sealed = sealed;
    },
    secret(path: string, where: { readonly mount?: string; readonly namespace?: string } = {}): StoredSecret | undefined {
      store.sync();
      const at: SecretAddress = { namespace: where.namespace ?? '', mount: where.mount ?? 'secret', path };
      const found = store.secret(at);
      return found === undefined ? undefined : structuredClone(found);
    },
    get requestLog(): readonly VaultRequestLogEntry[] {
      return log;
    },
    close: server.close,
  };
}
