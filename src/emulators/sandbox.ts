/**
 * src/emulators: HTTP emulators of the provider APIs (one folder each) and this sandbox
 * launcher, the one place that starts them together on loopback with their data under
 * one folder. `keyplan sandbox serve` prints what it returns; the engine calls it for
 * provider blocks with `endpoint: sandbox` and hands each adapter its endpoint.
 */
import { readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { startOciEmulator } from './oci/index.js';
import { startOutscaleEmulator } from './outscale/index.js';
import { startDataosEmulator } from './dataos/index.js';
import type { SandboxEndpoint } from '../providers/contract.js';

/** How to start the sandbox. */
export interface SandboxOptions {
  /** Folder holding every emulator's data (each in its own subfolder). */
  readonly dataDir: string;
  /** Port of the first emulator; 0 picks free ports. @default 0 */
  readonly port?: number;
  /** Delay added to every response, in ms. @default 0 */
  readonly latencyMs?: number;
  /** Fraction (0..1) of requests answered 429 or 500. @default 0 */
  readonly failRate?: number;
  /** Fraction (0..1) of BDS create/delete work requests that end FAILED (fault tests). @default 0 */
  readonly bdsFailWorkRequests?: number;
}

/** Running emulators, by provider type (`oci`, later `outscale`, `dataos`). */
export interface Sandbox {
  /**
   * Each emulator's base URL and bootstrap credentials (OCI: tenancy, user, fingerprint,
   * privateKeyPem, region; OUTSCALE: access_key, secret_key, region, with calls at `${url}/api/v1/{Action}`;
   * DataOS: token, user_id of the bootstrap operator, with Heimdall at `${url}/heimdall/api/v1`).
   */
  readonly endpoints: Record<string, SandboxEndpoint>;
  /** Stops every emulator. */
  close(): Promise<void>;
}

// Subfolders of the data folder the sandbox owns; reset removes these and nothing else,
// so `--data .` cannot wipe a user's folder.
const OWNED_SUBDIRS = ['oci', 'outscale', 'dataos'] as const;

/** Starts the emulators on 127.0.0.1 with data under `dataDir/<provider>/`. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const baseOptions = (sub: (typeof OWNED_SUBDIRS)[number], portOffset: number) => ({
    dataDir: join(options.dataDir, sub),
    // OCI's port and the next ones when one is given, so `--port` still names a fixed range.
    port: options.port === undefined || options.port === 0 ? 0 : options.port + portOffset,
    latencyMs: options.latencyMs ?? 0,
    failRate: options.failRate ?? 0,
    // keys.yaml names users (OCIDs, EIM users, DataOS ids) the sandbox has never seen; they exist on first use.
    autoCreateUsers: true,
  });
  // When one emulator fails to start, those already listening are closed before the error surfaces.
  const running: { close(): Promise<void> }[] = [];
  const started = async <E extends { close(): Promise<void> }>(starting: Promise<E>): Promise<E> => {
    try {
      const emulator = await starting;
      running.push(emulator);
      return emulator;
    } catch (err) {
      await Promise.all(running.map((e) => e.close()));
      throw err;
    }
  };
  const oci = await started(
    startOciEmulator({
      ...baseOptions('oci', 0),
      // The same endpoint serves BDS (/20190531); keys.yaml's cluster OCIDs exist on first use too.
      bds: { autoCreateClusters: true, failWorkRequests: options.bdsFailWorkRequests ?? 0 },
    }),
  );
  const outscale = await started(startOutscaleEmulator(baseOptions('outscale', 1)));
  // Holds the sandbox's tokens: the store file is written with mode 0600.
  const dataos = await started(startDataosEmulator(baseOptions('dataos', 2)));
  const { tenancy, user, fingerprint, privateKeyPem, region } = oci.admin;
  const osc = outscale.account;
  return {
    endpoints: {
      oci: { url: oci.url, credentials: { tenancy, user, fingerprint, privateKeyPem, region } },
      outscale: { url: outscale.url, credentials: { access_key: osc.accessKey, secret_key: osc.secretKey, region: osc.region } },
      dataos: { url: dataos.url, credentials: { token: dataos.bootstrap.token, user_id: dataos.bootstrap.userId } },
    },
    close: async () => {
      await Promise.all([oci.close(), outscale.close(), dataos.close()]);
    },
  };
}

/** Removes the sandbox's data (emulated keys and bootstrap credentials) from `dataDir`. */
export async function resetSandbox(dataDir: string): Promise<void> {
  for (const sub of OWNED_SUBDIRS) rmSync(join(dataDir, sub), { recursive: true, force: true });
  // Remove the folder itself only when nothing else lives in it.
  try {
    if (readdirSync(dataDir).length === 0) rmdirSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
