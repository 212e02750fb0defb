/**
 * What every apply step needs: the config, configured adapters, the state session that
 * serialises durable writes, the environment passphrases come from, and a clock.
 */
import type { KeyplanConfig } from '../model/desired.js';
import type { ProviderAdapter, SandboxEndpoint } from '../providers/contract.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Reporter } from '../report/reporter.js';
import type { StateSession } from '../state/state-session.js';

export interface StepContext {
  readonly config: KeyplanConfig;
  /** Kinds and output types. */
  readonly providers: ProviderRegistry;
  /** Configured adapters by provider block name. */
  readonly adapters: ReadonlyMap<string, ProviderAdapter>;
  readonly session: StateSession;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly reporter: Reporter;
  /** Epoch ms. */
  readonly now: () => number;
  /** A fresh unique id (intent ids, idempotency tokens). */
  readonly newId: () => string;
  readonly signal?: AbortSignal;
  /** Starts (once) the emulator of an output type, for outputs keys.yaml points at the sandbox. */
  readonly outputSandbox?: (outputType: string) => Promise<SandboxEndpoint>;
}
