/**
 * What every apply step needs: the config, configured adapters, the state session that
 * serialises durable writes, the environment passphrases come from, a clock and a sleep.
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
  /** Stops waits between attempts (verification backoff), not provider calls in flight: the run's stop (Ctrl-C). */
  readonly waitSignal?: AbortSignal;
  /** Waits between verification attempts; tests move their clock instead of waiting. @default setTimeout */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Starts (once) the emulator of an output type, for outputs keys.yaml points at the sandbox. */
  readonly outputSandbox?: (outputType: string) => Promise<SandboxEndpoint>;
}
