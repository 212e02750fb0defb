/**
 * The live side of a Workspace: the configured adapter of each provider block a run uses,
 * and the sandbox emulators (of providers and of secret-store outputs) started for blocks
 * and outputs pointed at `sandbox`. Each is made once per workspace and closed with it.
 */
import path from 'node:path';
import { CONFIG_CODES } from './config/codes.js';
import { SANDBOX_CODES } from './errors/codes.js';
import type { Diagnostic } from './errors/diagnostic.js';
import { ConfigError, KeyplanError } from './errors/errors.js';
import { logger } from './log/logger.js';
import type { KeyplanConfig, ProviderBlock } from './model/desired.js';
import type { KeyplanState } from './model/state.js';
import type { ProviderAdapter, RetryNotice, SandboxEndpoint } from './providers/contract.js';
import { retryMessage } from './providers/shared/retry.js';
import type { SandboxService } from './providers/module.js';
import type { ProviderRegistry } from './providers/registry.js';
import { GENERIC_LIMITS, type ProviderLimits } from './providers/shared/limits.js';
import { limitedAdapter, providerQueue } from './refresh/limiter.js';
import type { Reporter } from './report/reporter.js';

/** What a command on one recorded or declared key needs besides the state (describe, import, undo). */
export interface KeyCommandDeps {
  readonly config: KeyplanConfig;
  readonly providers: ProviderRegistry;
  readonly connections: ProviderConnections;
  readonly signal?: AbortSignal | undefined;
}

/** Adapters by provider block name, and the running sandbox emulators. */
export class ProviderConnections {
  /** Configured adapters by provider block name, each behind its block's limiter (refresh/limiter.ts). */
  readonly adapters = new Map<string, ProviderAdapter>();
  readonly #config: KeyplanConfig;
  readonly #providers: ProviderRegistry;
  readonly #host: {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly signal?: AbortSignal | undefined;
    /** Hears about retries. @default none */
    readonly reporter?: Reporter;
  };
  readonly #sandboxes = new Map<string, Promise<SandboxService>>();

  constructor(
    config: KeyplanConfig,
    providers: ProviderRegistry,
    host: { readonly env: Readonly<Record<string, string | undefined>>; readonly signal?: AbortSignal | undefined; readonly reporter?: Reporter },
  ) {
    this.#config = config;
    this.#providers = providers;
    this.#host = host;
  }

  /** The configured adapter of provider block `provider` (configured now when it is not yet). */
  async adapterOf(state: KeyplanState, provider: string): Promise<ProviderAdapter> {
    await this.configure(state, [provider]);
    return this.adapters.get(provider) as ProviderAdapter;
  }

  /** Configures the adapters of the provider blocks the config's keys or the state use. */
  async configure(state: KeyplanState, only?: readonly string[]): Promise<void> {
    // An intent's provider is read too (when its block still exists), so a create that died
    // after its key was removed from keys.yaml is still found and deleted.
    const journalled = state.intents.map((i) => i.provider).filter((name) => name in this.#config.providers);
    const used = new Set(only ?? [...this.#config.keys.map((k) => k.provider), ...Object.values(state.keys).map((k) => k.provider), ...journalled]);
    for (const name of [...used].sort()) {
      if (this.adapters.has(name)) continue;
      const block = this.#config.providers[name];
      if (!block) {
        throw new KeyplanError(
          `state records keys of provider "${name}", which ${this.#config.file} no longer defines; restore the provider block to delete them, or run keyplan state rm`,
          { code: CONFIG_CODES.providerRemoved, source: 'user' },
        );
      }
      const provider = this.#providers.provider(block.type);
      if (!provider)
        throw new KeyplanError(`provider "${name}": type "${block.type}" is not supported`, { code: CONFIG_CODES.unsupportedProviderType, source: 'user' });
      const adapter = await provider.createAdapter();
      const sandbox = block.settings.endpoint === 'sandbox' ? await this.#sandboxFor(block.type) : undefined;
      // A retry pause is told to the user (stderr), so a slow run says why it waits.
      const onRetry = (notice: RetryNotice): void =>
        this.#host.reporter?.notify({ level: 'warn', code: 'provider_retry', message: retryMessage(notice), data: { provider: name, ...notice } });
      try {
        await adapter.configure({ block, baseDir: this.#config.baseDir, env: this.#host.env, sandbox, signal: this.#host.signal, onRetry });
      } catch (error) {
        throw sandbox === undefined ? (unsetVariables(block, provider.envSettings ?? {}, this.#host.env, error) ?? error) : error;
      }
      logger().debug('provider configured', { provider: name, type: block.type, endpoint: sandbox ? sandbox.url : (block.settings.endpoint ?? 'default') });
      this.adapters.set(name, limitedAdapter(adapter, providerQueue(this.limitsOf(name))));
    }
  }

  /** Provider block `name`'s max_concurrency and requests_per_second, defaults applied. */
  limitsOf(name: string): ProviderLimits {
    const block = this.#config.providers[name];
    const provider = block === undefined ? undefined : this.#providers.provider(block.type);
    return (block !== undefined ? provider?.limits?.(block) : undefined) ?? GENERIC_LIMITS;
  }

  /** Starts the emulator of provider type `type` once per workspace; its data lives in .keyplan/sandbox/<type>/. */
  async #sandboxFor(type: string): Promise<SandboxEndpoint> {
    let starting = this.#sandboxes.get(type);
    if (starting === undefined) {
      const provider = this.#providers.provider(type);
      if (provider === undefined)
        throw new KeyplanError(`the sandbox has no emulator for provider type "${type}"`, { code: SANDBOX_CODES.noEmulator, source: 'user' });
      // The emulators are loaded only when a block points at the sandbox.
      starting = import('./emulators/sandbox.js').then(({ startSandboxService }) =>
        startSandboxService(provider, { dataDir: path.join(this.#config.baseDir, '.keyplan', 'sandbox') }),
      );
      this.#sandboxes.set(type, starting);
    }
    return (await starting).endpoint;
  }

  /**
   * Starts the emulator of output type `type` (a secret store) once per workspace, when the
   * first output pointed at the sandbox is written; its data lives in .keyplan/sandbox/<type>/
   * beside the providers' emulators, so what was delivered can be read back after the run.
   */
  async outputSandboxFor(type: string): Promise<SandboxEndpoint> {
    const id = `output:${type}`;
    let starting = this.#sandboxes.get(id);
    if (starting === undefined) {
      const output = this.#providers.outputs.get(type);
      if (output?.startSandbox === undefined)
        throw new KeyplanError(`the sandbox has no emulator for output type "${type}"`, { code: SANDBOX_CODES.noEmulator, source: 'user' });
      starting = import('./emulators/sandbox.js').then(({ startSandboxService }) =>
        startSandboxService(output, { dataDir: path.join(this.#config.baseDir, '.keyplan', 'sandbox') }),
      );
      this.#sandboxes.set(id, starting);
    }
    return (await starting).endpoint;
  }

  /** Closes every adapter and stops every emulator started. */
  async close(): Promise<void> {
    const adapters = [...this.adapters.values()];
    this.adapters.clear();
    await Promise.allSettled(adapters.map((a) => a.close()));
    const sandboxes = [...this.#sandboxes.values()];
    this.#sandboxes.clear();
    await Promise.allSettled(sandboxes.map(async (s) => (await s).close()));
  }
}

/**
 * When configuring a block failed and a variable one of its settings names is unset, the
 * failure as a ConfigError at the keys.yaml line of each such setting (names only), e.g.
 * `keys.yaml:4:63: providers.NAME.token_env: environment variable API_TOKEN is not set`.
 */
function unsetVariables(
  block: ProviderBlock,
  envSettings: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
  error: unknown,
): ConfigError | undefined {
  const diagnostics: Diagnostic[] = [];
  for (const [setting, holds] of Object.entries(envSettings)) {
    const variable = block.settings[setting];
    if (typeof variable !== 'string' || (env[variable] ?? '') !== '') continue;
    const range = block.settingSources?.[setting];
    diagnostics.push({
      severity: 'error',
      code: CONFIG_CODES.missingEnv,
      message: `environment variable ${variable} is ${env[variable] === '' ? 'empty' : 'not set'} (it holds ${holds} of provider "${block.name}")`,
      path: `providers.${block.name}.${setting}`,
      ...(range === undefined ? {} : { range }),
    });
  }
  if (diagnostics.length === 0) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigError(message, diagnostics, error instanceof KeyplanError ? error.code : CONFIG_CODES.missingEnv, error);
}
