/**
 * src/emulators: HTTP emulators of the provider APIs (one folder each) and this sandbox
 * launcher, which starts them on loopback with their data under one folder. Which
 * emulators exist comes from the provider modules (`ProviderModule.startSandbox`) and the
 * output modules (`OutputModule.startSandbox`: secret stores such as Vault), so a new
 * emulator joins the sandbox with its module. `keyplan sandbox serve` prints what
 * `startSandbox` returns; the engine starts one emulator at a time, for provider blocks
 * with `endpoint: sandbox` and outputs pointed at the sandbox, and hands over the endpoint.
 */
import { readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { KeyplanError } from '../errors/errors.js';
import type { SandboxEndpoint } from '../providers/contract.js';
import type { OutputModule, ProviderModule, SandboxService } from '../providers/module.js';
import { SHIPPED_PROVIDERS, defaultRegistry } from '../providers/registry.js';
import { SANDBOX_CODES } from '../errors/codes.js';

/** How to start the sandbox. */
export interface SandboxOptions {
  /** Folder holding every emulator's data (each in a subfolder named after its provider type). */
  readonly dataDir: string;
  /** Port of the first emulator, the next ones follow; 0 picks free ports. @default 0 */
  readonly port?: number;
  /** Delay added to every response, in ms. @default 0 */
  readonly latencyMs?: number;
  /** Fraction (0..1) of requests answered 429 or 500. @default 0 */
  readonly failRate?: number;
  /** Provider-specific fault knobs, e.g. `bdsFailWorkRequests` (fraction of BDS work requests that end FAILED). */
  readonly extra?: Readonly<Record<string, number>>;
  /** The providers whose emulators to start. @default the shipped providers */
  readonly providers?: readonly ProviderModule[];
  /** The output types whose emulators to start (secret stores). @default the shipped output types */
  readonly outputs?: readonly OutputModule[];
}

/** What has an emulator: a provider or an output type, named by its `type`. */
export type Emulated = Pick<ProviderModule, 'type' | 'startSandbox'> | Pick<OutputModule, 'type' | 'startSandbox'>;

/** The shipped output types that have an emulator. */
function shippedOutputs(): readonly OutputModule[] {
  return [...defaultRegistry.outputs.values()];
}

/** Running emulators, by provider or output type. */
export interface Sandbox {
  /** Each emulator's base URL and bootstrap credentials, by provider or output type. */
  readonly endpoints: Record<string, SandboxEndpoint>;
  /** Stops every emulator. */
  close(): Promise<void>;
}

/** Starts one provider's or output type's emulator on 127.0.0.1 with its data under `dataDir/<type>/`. */
export async function startSandboxService(provider: Emulated, options: SandboxOptions, portOffset = 0): Promise<SandboxService> {
  if (provider.startSandbox === undefined) {
    throw new KeyplanError(`the sandbox has no emulator for "${provider.type}"`, { code: SANDBOX_CODES.noEmulator, source: 'user' });
  }
  return provider.startSandbox({
    dataDir: join(options.dataDir, provider.type),
    // The first port and the next ones when one is given, so `--port` still names a fixed range.
    port: options.port === undefined || options.port === 0 ? 0 : options.port + portOffset,
    latencyMs: options.latencyMs ?? 0,
    failRate: options.failRate ?? 0,
    ...(options.extra !== undefined ? { extra: options.extra } : {}),
  });
}

/** Starts every provider's and output type's emulator; when one fails to start, those already listening are closed first. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const emulated: readonly Emulated[] = [...(options.providers ?? SHIPPED_PROVIDERS), ...(options.outputs ?? shippedOutputs())];
  const providers = emulated.filter((p) => p.startSandbox !== undefined);
  const running: { type: string; service: SandboxService }[] = [];
  try {
    for (const [offset, provider] of providers.entries()) {
      running.push({ type: provider.type, service: await startSandboxService(provider, options, offset) });
    }
  } catch (err) {
    await Promise.all(running.map((r) => r.service.close()));
    throw err;
  }
  return {
    endpoints: Object.fromEntries(running.map((r) => [r.type, r.service.endpoint])),
    close: async () => {
      await Promise.all(running.map((r) => r.service.close()));
    },
  };
}

/**
 * Removes the sandbox's data (emulated keys and bootstrap credentials) from `dataDir`:
 * only the subfolders its emulators own, so `--data .` cannot wipe a user's folder.
 */
export async function resetSandbox(dataDir: string, providers: readonly Emulated[] = [...SHIPPED_PROVIDERS, ...shippedOutputs()]): Promise<void> {
  for (const provider of providers) {
    if (provider.startSandbox !== undefined) rmSync(join(dataDir, provider.type), { recursive: true, force: true });
  }
  // Remove the folder itself only when nothing else lives in it.
  try {
    if (readdirSync(dataDir).length === 0) rmdirSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
