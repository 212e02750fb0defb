/**
 * The programmatic API: load → lock → refresh → plan → apply. The CLI only calls this;
 * tests can too, with their own adapters, reporter, environment and clock.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from './config/index.js';
import { KeyplanError } from './errors/errors.js';
import type { KeyplanConfig } from './model/desired.js';
import type { LiveSnapshot } from './model/live.js';
import type { Plan } from './model/plan.js';
import type { KeyplanState } from './model/state.js';
import { plan as computePlan } from './plan/index.js';
import { defaultRegistry, type ProviderRegistry } from './providers/registry.js';
import type { ProviderAdapter, SandboxEndpoint } from './providers/contract.js';
import type { SandboxService } from './providers/module.js';
import { refresh } from './refresh/refresh.js';
import type { Reporter } from './report/reporter.js';
import { LocalStateStore } from './state/local-store.js';
import type { StateStore } from './state/store.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from './apply/applier.js';
import { StateSession } from './state/state-session.js';
import { tidyState } from './apply/tidy.js';
import { adoptLiveKey, IMPORT_ERROR_CODE, type Adoption } from './apply/adopt.js';
import { startSandboxService } from './emulators/sandbox.js';
import { logger } from './log/logger.js';
import type { SavedPlan } from './plan/planfile.js';
import { staleness } from './plan/planfile-stale.js';
import { CONFIG_CODES } from './config/codes.js';
import { SANDBOX_CODES } from './errors/codes.js';
import { STATE_CODES } from './state/codes.js';

/** What the host provides. */
export interface EngineHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly reporter: Reporter;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
  /** The providers keyplan knows (kinds, outputs, adapters, emulators). @default the providers keyplan ships */
  readonly providers?: ProviderRegistry;
  readonly signal?: AbortSignal;
}

export interface PlanRequest {
  readonly rotate?: readonly string[];
  readonly targets?: readonly string[];
}

/** A plan with everything it was computed from. */
export interface PlanResult {
  readonly plan: Plan;
  readonly state: KeyplanState;
  readonly live: LiveSnapshot;
}

/** The state store a config names. */
export function storeFor(config: KeyplanConfig): StateStore {
  if (config.state.backend === 'local') return new LocalStateStore(path.resolve(config.baseDir, config.state.path));
  throw new KeyplanError(`${config.file}: state backend "postgres" is not supported by this version of keyplan; use backend: local`, { code: STATE_CODES.unsupportedBackend, source: 'user' });
}

/** An open config with its state store; `close` releases adapters and the sandbox. */
export class Workspace {
  readonly config: KeyplanConfig;
  readonly store: StateStore;
  readonly providers: ProviderRegistry;
  readonly #host: EngineHost;
  readonly #adapters = new Map<string, ProviderAdapter>();

  private constructor(config: KeyplanConfig, host: EngineHost) {
    this.config = config;
    this.store = storeFor(config);
    this.providers = host.providers ?? defaultRegistry;
    this.#host = host;
  }

  /** Loads and validates the config (all problems at once; no network). */
  static async open(file: string, host: EngineHost, options: { checkEnv: boolean }): Promise<Workspace> {
    const config = await loadConfig(file, { env: host.env, checkEnv: options.checkEnv, providers: host.providers ?? defaultRegistry });
    logger().debug('config loaded', { file: config.file, sha256: config.hash, keys: config.keys.length, providers: Object.keys(config.providers).sort() });
    return new Workspace(config, host);
  }

  now(): number {
    return (this.#host.now ?? Date.now)();
  }

  /** Refreshes and plans against `state`. */
  async plan(state: KeyplanState, req: PlanRequest = {}): Promise<PlanResult> {
    await this.#configureAdapters(state);
    const live = await refresh({ desired: this.config.keys, state, adapters: this.#adapters, kinds: this.providers.kinds, reporter: this.#host.reporter, signal: this.#host.signal });
    logger().debug('refresh complete', { scopes: live.scopes.length, liveKeys: live.keys.length, stateSerial: state.serial, lineage: state.lineage });
    const plan = computePlan(this.config.keys, live, state, { now: this.now(), kinds: this.providers.kinds, rotate: req.rotate ?? [], targets: req.targets ?? [] });
    logger().debug('plan computed', { ...plan.summary, unmanaged: plan.unmanaged.length, diagnostics: plan.diagnostics.length, errored: plan.errored });
    return { plan, state, live };
  }

  /**
   * Plans again with a saved plan's options, against `state` and freshly read live keys,
   * and lists everything that moved since the plan was saved (state, live keys, the
   * changes a new plan would make). An empty `stale` means `result` makes exactly the
   * saved changes, and may be applied in its place.
   */
  async replanSaved(saved: SavedPlan, state: KeyplanState): Promise<{ readonly result: PlanResult; readonly stale: readonly string[] }> {
    const result = await this.plan(state, saved.options);
    return { result, stale: staleness(saved, { ...result, config: this.config }) };
  }

  /**
   * `keyplan import NAME LIVE_ID`: reads the scope of declared key `name` and records live
   * key `id` as its current key (under the lock the caller holds). See apply/adopt.ts.
   */
  async importKey(state: KeyplanState, name: string, id: string): Promise<Adoption> {
    const key = this.config.keys.find((k) => k.name === name);
    if (!key) throw new KeyplanError(`no key named "${name}" is declared in ${this.config.file}; declare it first, then import`, { code: IMPORT_ERROR_CODE, source: 'user' });
    await this.#configureAdapters(state, [key.provider]);
    const adapter = this.#adapters.get(key.provider) as ProviderAdapter;
    const { keys } = await adapter.list({ kind: key.kind, owner: key.owner, known: [], signal: this.#host.signal });
    const adoption = adoptLiveKey(state, key, id, keys, this.providers.kinds[key.kind], this.now());
    const written = await this.store.write(adoption.state);
    logger().debug('key imported', { name, kind: key.kind, owner: key.owner, id, serial: written.serial });
    return { ...adoption, state: written };
  }

  /** Applies a plan computed by `plan` under the lock the caller holds. */
  async apply(result: PlanResult, options: ApplyOptions = {}): Promise<ApplyResult> {
    const declared = new Set(this.config.keys.map((k) => k.name));
    let state = result.state;
    const tidy = tidyState(state, result.live, declared);
    if (tidy !== state) state = await this.store.write(tidy);
    const session = new StateSession(this.store, state);
    return applyPlan(
      // The host's signal stops the run between steps; steps in flight are not cancelled.
      { config: this.config, providers: this.providers, adapters: this.#adapters, session, env: this.#host.env, reporter: this.#host.reporter, now: () => this.now(), newId: randomUUID },
      result.plan,
      { ...options, stopSignal: options.stopSignal ?? this.#host.signal },
    );
  }

  async close(): Promise<void> {
    const adapters = [...this.#adapters.values()];
    this.#adapters.clear();
    await Promise.allSettled(adapters.map((a) => a.close()));
    const sandboxes = [...this.#sandboxes.values()];
    this.#sandboxes.clear();
    await Promise.allSettled(sandboxes.map(async (s) => (await s).close()));
  }

  /** Configures the adapters of the provider blocks the config's keys or the state use. */
  async #configureAdapters(state: KeyplanState, only?: readonly string[]): Promise<void> {
    const used = new Set(only ?? [...this.config.keys.map((k) => k.provider), ...Object.values(state.keys).map((k) => k.provider)]);
    for (const name of [...used].sort()) {
      if (this.#adapters.has(name)) continue;
      const block = this.config.providers[name];
      if (!block) {
        throw new KeyplanError(`state records keys of provider "${name}", which ${this.config.file} no longer defines; restore the provider block to delete them, or run keyplan state rm`, { code: CONFIG_CODES.providerRemoved, source: 'user' });
      }
      const provider = this.providers.provider(block.type);
      if (!provider) throw new KeyplanError(`provider "${name}": type "${block.type}" is not supported`, { code: CONFIG_CODES.unsupportedProviderType, source: 'user' });
      const adapter = await provider.createAdapter();
      const sandbox = block.settings.endpoint === 'sandbox' ? await this.#sandboxFor(block.type) : undefined;
      await adapter.configure({ block, baseDir: this.config.baseDir, env: this.#host.env, sandbox, signal: this.#host.signal });
      logger().debug('provider configured', { provider: name, type: block.type, endpoint: sandbox ? sandbox.url : (block.settings.endpoint ?? 'default') });
      this.#adapters.set(name, adapter);
    }
  }

  readonly #sandboxes = new Map<string, Promise<SandboxService>>();

  /** Starts the emulator of provider type `type` once per workspace; its data lives in .keyplan/sandbox/<type>/. */
  async #sandboxFor(type: string): Promise<SandboxEndpoint> {
    let starting = this.#sandboxes.get(type);
    if (starting === undefined) {
      const provider = this.providers.provider(type);
      if (provider === undefined) throw new KeyplanError(`the sandbox has no emulator for provider type "${type}"`, { code: SANDBOX_CODES.noEmulator, source: 'user' });
      starting = startSandboxService(provider, { dataDir: path.join(this.config.baseDir, '.keyplan', 'sandbox') });
      this.#sandboxes.set(type, starting);
    }
    return (await starting).endpoint;
  }
}
