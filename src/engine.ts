/**
 * The programmatic API: load → lock → refresh → plan → apply, and the operations around
 * it (saved plans, import, state rm, force-unlock). Each operation takes the state lock
 * itself and releases it on every path, so the CLI only parses flags, shows results and
 * picks exit codes; tests can call it too, with their own adapters, reporter,
 * environment and clock.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from './config/index.js';
import { KeyplanError } from './errors/errors.js';
import type { KeyplanConfig } from './model/desired.js';
import type { LiveSnapshot } from './model/live.js';
import type { Plan } from './model/plan.js';
import type { KeyplanState, ManagedKey } from './model/state.js';
import { plan as computePlan } from './plan/index.js';
import { defaultRegistry, type ProviderRegistry } from './providers/registry.js';
import { refresh } from './refresh/refresh.js';
import { providersForTargets } from './refresh/targets.js';
import type { Reporter } from './report/reporter.js';
import type { StateStore } from './state/store.js';
import type { ApplyOptions, ApplyResult } from './apply/applier.js';
import { StateSession } from './state/state-session.js';
import { tidyState } from './apply/tidy.js';
import type { Adoption } from './apply/adopt.js';
import { logger } from './log/logger.js';
import { savedPlanOf, StalePlanError, writePlanFile } from './plan/planfile.js';
import { staleness } from './plan/planfile-stale.js';
import { STATE_CODES } from './state/codes.js';
import { missingPassphraseVariables } from './apply/passphrase-check.js';
import { refuseMissingVariables } from './apply/variables-check.js';
import { missingOutputVariables } from './apply/output-env-check.js';
import { forget } from './state/mutations.js';
import { parseState } from './state/state-document.js';
import { stateToPull, stateToPush } from './state/push.js';
import { hasChanges, type ApplyHooks, type ApplyOutcome } from './engine-apply.js';
import { ProviderConnections, type KeyCommandDeps } from './engine-connections.js';
// The apply path and the one-key commands are loaded when they run: `plan` needs none of them.
import type { UndoResult } from './engine-undo.js';
import type { CheckedSavedPlan } from './engine-saved-plan.js';
import { keyplanVersion } from './version.js';
import { formatDiagnostic } from './errors/diagnostic.js';
import { describeHolder } from './state/lock-holder.js';
import { formatDuration } from './model/duration.js';
import { markPhase } from './report/phase-timings.js';
import { storeFor } from './engine-store.js';

export { storeFor } from './engine-store.js';

export { hasChanges, type ApplyHooks, type ApplyOutcome } from './engine-apply.js';
export type { CheckedSavedPlan } from './engine-saved-plan.js';

/** What the host provides. */
export interface EngineHost {
  /** Where passphrases and provider credentials are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives progress, warnings and the apply hooks. */
  readonly reporter: Reporter;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
  /** Waits between verification attempts of a new key; tests move their clock instead. @default setTimeout */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The providers keyplan knows (kinds, outputs, adapters, emulators). @default the providers keyplan ships */
  readonly providers?: ProviderRegistry;
  /** Aborting it (Ctrl-C) stops refresh calls and starts no further apply step. */
  readonly signal?: AbortSignal;
}

/** Planning options. */
export interface PlanRequest {
  /** Rotate these keys now, whatever their age. @default [] */
  readonly rotate?: readonly string[];
  /** Plan only these keys and the keys they depend on. @default [] (all) */
  readonly targets?: readonly string[];
}

/** How a workspace is opened. */
export interface OpenOptions {
  /** Check that every passphrase variable is set (validate). */
  readonly checkEnv: boolean;
  /** How long an operation waits for a state lock another run holds (`--lock-timeout`), in ms. @default 0 (fail at once) */
  readonly lockTimeoutMs?: number;
}

/** A plan with everything it was computed from. */
export interface PlanResult {
  readonly plan: Plan;
  readonly state: KeyplanState;
  readonly live: LiveSnapshot;
}

/** An open config with its state store; `close` releases adapters and the sandbox. */
export class Workspace {
  readonly config: KeyplanConfig;
  readonly store: StateStore;
  readonly providers: ProviderRegistry;
  readonly #host: EngineHost;
  readonly #lockTimeoutMs: number;
  readonly #connections: ProviderConnections;

  private constructor(config: KeyplanConfig, store: StateStore, host: EngineHost, options: OpenOptions) {
    this.config = config;
    this.providers = host.providers ?? defaultRegistry;
    this.store = store;
    this.#host = host;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 0;
    this.#connections = new ProviderConnections(config, this.providers, host);
  }

  /** Loads and validates the config (all problems at once; no network). */
  static async open(file: string, host: EngineHost, options: OpenOptions): Promise<Workspace> {
    const config = await Workspace.check(file, host, options.checkEnv);
    return new Workspace(config, await storeFor(config, host.providers ?? defaultRegistry, host.env), host, options);
  }

  /**
   * `keyplan validate`: loads and checks the config only (warnings to the reporter). It
   * builds no state store and configures no provider, so it needs no credential and no
   * variable unless `checkEnv` asks for the referenced variables to be set.
   */
  static async check(file: string, host: EngineHost, checkEnv: boolean): Promise<KeyplanConfig> {
    const config = await loadConfig(file, {
      env: host.env,
      checkEnv,
      providers: host.providers ?? defaultRegistry,
      onWarning: (d) =>
        host.reporter.notify({
          level: 'warn',
          code: 'config_warning',
          message: formatDiagnostic(d),
          data: { code: d.code, ...(d.path !== undefined ? { path: d.path } : {}) },
        }),
    });
    markPhase('config');
    logger().debug('config loaded', { file: config.file, sha256: config.hash, keys: config.keys.length, providers: Object.keys(config.providers).sort() });
    return config;
  }

  /** The host's clock (epoch ms). */
  now(): number {
    return (this.#host.now ?? Date.now)();
  }

  /** Refreshes and plans against `state`. */
  async plan(state: KeyplanState, req: PlanRequest = {}): Promise<PlanResult> {
    // A targeted plan reads only the providers its keys need (refresh/targets.ts).
    const only = providersForTargets(this.config.keys, state, req.targets);
    await this.#connections.configure(
      state,
      only?.filter((name) => name in this.config.providers),
    );
    markPhase('connect');
    const live = await refresh({
      desired: this.config.keys,
      state,
      adapters: this.#connections.adapters,
      kinds: this.providers.kinds,
      reporter: this.#host.reporter,
      signal: this.#host.signal,
      timings: this.#host.env['KEYPLAN_TIMINGS'] === '1',
    });
    markPhase('refresh');
    logger().debug('refresh complete', { scopes: live.scopes.length, liveKeys: live.keys.length, stateSerial: state.serial, lineage: state.lineage });
    const plan = computePlan(this.config.keys, live, state, {
      now: this.now(),
      kinds: this.providers.kinds,
      rotate: req.rotate ?? [],
      targets: req.targets ?? [],
      readableOutputs: [...this.providers.outputs.values()].filter((o) => o.readBack !== undefined).map((o) => o.type),
    });
    markPhase('plan');
    logger().debug('plan computed', { ...plan.summary, unmanaged: plan.unmanaged.length, diagnostics: plan.diagnostics.length, errored: plan.errored });
    return { plan, state, live };
  }

  /**
   * Takes the state lock for `operation`, reads the state, runs `body` with it, and
   * releases the lock however `body` ends: a result, an error, or the host's signal
   * aborting it (a second Ctrl-C exits the process at once and leaves the lock behind,
   * for `keyplan force-unlock`).
   */
  async withLock<T>(operation: string, body: (state: KeyplanState) => Promise<T>): Promise<T> {
    const timeoutMs = this.#lockTimeoutMs;
    const lock = await this.store.lock(operation, {
      timeoutMs,
      onWait: (holder) =>
        this.#host.reporter.notify({
          level: 'warn',
          code: 'state_lock_wait',
          message: `Waiting for the state lock held by ${describeHolder(holder)}, for up to ${formatDuration(timeoutMs)}...`,
          data: { lockId: holder.id, holder: `${holder.who}@${holder.host}`, operation: holder.operation, timeoutMs },
        }),
    });
    try {
      const state = await this.store.read();
      markPhase('state');
      return await body(state);
    } finally {
      await this.store.unlock(lock.id);
    }
  }

  /** The state as stored, read without the lock (`state list`, `state show`). */
  readState(): Promise<KeyplanState> {
    return this.store.read();
  }

  /** `keyplan state pull`: the stored state document, read without the lock (state/push.ts). */
  async pullState(): Promise<string> {
    return stateToPull(await this.store.read(), this.store.description);
  }

  /**
   * `keyplan state push`: validates the state document `text` (read from `source`) like a
   * read, then writes it under the lock, unless it has another lineage or is not newer than
   * the stored state and `force` is not set (see state/push.ts). Returns the state before
   * and after.
   */
  async pushState(text: string, source: string, options: { readonly force?: boolean } = {}): Promise<{ before: KeyplanState; after: KeyplanState }> {
    const pushed = parseState(text, source, { knownKinds: new Set(Object.keys(this.providers.kinds)) });
    return this.withLock('state push', async (stored) => {
      const next = stateToPush({ pushed, source, stored, target: this.store.description, force: options.force ?? false });
      const after = await this.store.write(next);
      logger().debug('state pushed', { source, lineage: after.lineage, serial: after.serial, priorSerial: stored.serial });
      return { before: stored, after };
    });
  }

  /** `keyplan force-unlock ID`: removes the lock with this id, whoever holds it. */
  forceUnlock(lockId: string): Promise<void> {
    return this.store.forceUnlock(lockId);
  }

  /**
   * `keyplan state rm`: forgets keys without deleting them at their providers (they
   * become unmanaged), in one write under the lock. An unknown name refuses the lot.
   */
  async removeState(names: readonly string[]): Promise<KeyplanState> {
    return this.withLock('state', async (state) => {
      const unknown = names.find((name) => !state.keys[name]);
      if (unknown !== undefined) throw new KeyplanError(`no key named "${unknown}" in the state`, { code: STATE_CODES.unknownKey, source: 'user' });
      const written = await this.store.write(names.reduce(forget, state));
      logger().debug('keys removed from state', { names: [...names], serial: written.serial });
      return written;
    });
  }

  /** `keyplan plan`: under the lock, reads the state, refreshes and plans. Changes nothing. */
  planLocked(req: PlanRequest = {}): Promise<PlanResult> {
    return this.withLock('plan', (state) => this.plan(state, req));
  }

  /** Passphrase variables the plan's creates and rotations need that the host's environment lacks. */
  missingPassphrases(plan: Plan): string[] {
    return missingPassphraseVariables(plan, this.config, this.#host.env);
  }

  /** Unset token variables (e.g. `token_env`) the outputs of the plan's creates and rotations read. */
  missingOutputVariables(plan: Plan): string[] {
    return missingOutputVariables(plan, this.config, this.providers.outputs, this.#host.env);
  }

  /** Saves `result` to `file` for `keyplan apply FILE` (atomic, mode 0600, no secrets). */
  async savePlan(file: string, result: PlanResult, req: PlanRequest = {}): Promise<void> {
    const options = { targets: req.targets ?? [], rotate: req.rotate ?? [] };
    await writePlanFile(file, savedPlanOf({ ...result, config: this.config, options, keyplanVersion: keyplanVersion() }));
  }

  /** Reads a plan file and runs the checks that need no network; see engine-saved-plan.ts. */
  static readSavedPlan(planFile: string, options: { readonly configFile?: string | undefined } = {}): Promise<CheckedSavedPlan> {
    return import('./engine-saved-plan.js').then(({ readSavedPlan }) => readSavedPlan(planFile, options));
  }

  /** `keyplan apply`: under the lock, plans, asks `hooks`, and applies. */
  planAndApply(req: PlanRequest, hooks: ApplyHooks, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.withLock('apply', async (state) => this.#carryOut(await this.plan(state, req), hooks, options));
  }

  /**
   * `keyplan apply PLANFILE`: under the lock, plans again with the saved plan's options
   * against the state and freshly read live keys, and makes exactly the saved changes if
   * nothing moved since the plan was saved (the config, the state's lineage and serial,
   * the live keys, the changes a new plan would make). `hooks.approve` is not asked.
   * @throws StalePlanError (exit 3) naming everything that moved; nothing is changed then.
   */
  applySaved(checked: CheckedSavedPlan, hooks: Omit<ApplyHooks, 'approve'>, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.withLock('apply', async (state) => {
      const result = await this.plan(state, checked.saved.options);
      const stale = staleness(checked.saved, { ...result, config: this.config });
      if (stale.length > 0) throw new StalePlanError(checked.file, stale);
      // The saved plan was reviewed when it was made: never ask again, whatever the caller passed.
      return this.#carryOut(result, { ...hooks, approve: undefined }, options);
    });
  }

  /** What the commands on one key (describe, import, undo) need. */
  #keyDeps(): KeyCommandDeps {
    return { config: this.config, providers: this.providers, connections: this.#connections, signal: this.#host.signal };
  }

  /** `keyplan state show NAME`: the state record of `name` and the extra lines its kind prints (engine-describe.ts). */
  async describeKey(name: string): Promise<{ readonly record: ManagedKey | undefined; readonly lines: readonly string[] }> {
    const state = await this.readState();
    const record = state.keys[name];
    const { describeRecordedKey } = await import('./engine-describe.js');
    return { record, lines: record === undefined ? [] : await describeRecordedKey(this.#keyDeps(), state, record) };
  }

  /** `keyplan import NAME LIVE_ID`: under the lock, records live key `id` as the current key of declared key `name` (engine-import.ts). */
  importKey(name: string, id: string): Promise<Adoption> {
    return this.withLock('import', async (state) => {
      const { importDeclaredKey } = await import('./engine-import.js');
      const adoption = await importDeclaredKey(this.#keyDeps(), state, name, id, this.now());
      const written = await this.store.write(adoption.state);
      logger().debug('key imported', { name, id, serial: written.serial });
      return { ...adoption, state: written };
    });
  }

  /** `keyplan rotation undo NAME`: under the lock, makes the key `name` replaced last current again (engine-undo.ts). */
  undoRotation(name: string): Promise<UndoResult> {
    return this.withLock('rotation undo', async (state) => {
      const { undoRotation } = await import('./engine-undo.js');
      const result = await undoRotation(this.#keyDeps(), state, name, this.now());
      const written = await this.store.write(result.state);
      logger().debug('rotation undone', { name, restored: result.restoredId, retired: result.retiredId, serial: written.serial });
      return { ...result, state: written };
    });
  }

  /** Applies a plan computed by `plan`, under the lock the caller holds (see `withLock`). */
  async apply(result: PlanResult, options: ApplyOptions = {}): Promise<ApplyResult> {
    const declared = new Set(this.config.keys.map((k) => k.name));
    let state = result.state;
    const tidy = tidyState(state, result.live, declared);
    if (tidy !== state) state = await this.store.write(tidy);
    const session = new StateSession(this.store, state);
    const stops = [options.stopSignal ?? this.#host.signal, this.store.lockLost].filter((s): s is AbortSignal => s !== undefined);
    const lost = this.store.lockLost;
    const onLost = (): void => {
      const reason: unknown = lost?.reason;
      const message = reason instanceof Error ? reason.message : `${this.store.description}: the state lock was lost; keyplan starts no further change`;
      const code = reason instanceof KeyplanError ? reason.code : STATE_CODES.connectionLost;
      this.#host.reporter.notify({ level: 'error', code: 'state_lock_lost', message, data: { state: this.store.description, code } });
    };
    lost?.addEventListener('abort', onLost, { once: true });
    const stopSignal = stops.length > 1 ? AbortSignal.any(stops) : stops[0];
    try {
      const { applyPlan } = await import('./apply/applier.js');
      return await applyPlan(
        // The host's signal stops the run between steps; steps in flight are not cancelled.
        {
          config: this.config,
          providers: this.providers,
          adapters: this.#connections.adapters,
          session,
          env: this.#host.env,
          reporter: this.#host.reporter,
          now: () => this.now(),
          newId: randomUUID,
          ...(stopSignal !== undefined ? { waitSignal: stopSignal } : {}),
          ...(this.#host.sleep !== undefined ? { sleep: this.#host.sleep } : {}),
          outputSandbox: (type) => this.#connections.outputSandboxFor(type),
        },
        result.plan,
        // Each provider block runs at most its max_concurrency changes at once; --parallelism caps them all.
        { concurrencyOfProvider: (p) => this.#connections.limitsOf(p).maxConcurrency, ...options, stopSignal },
      );
    } finally {
      lost?.removeEventListener('abort', onLost);
    }
  }

  /** Shows, checks and approves a plan through `hooks`, then applies it. */
  async #carryOut(planned: PlanResult, hooks: ApplyHooks, options: ApplyOptions): Promise<ApplyOutcome> {
    const plan = planned.plan;
    hooks.planned?.(plan);
    if (plan.errored) return { kind: 'errored', plan };
    if (!hasChanges(plan)) return { kind: 'no_changes', plan };
    refuseMissingVariables(plan, this.config, this.providers.outputs, this.#host.env);
    if (hooks.approve && !(await hooks.approve(plan))) return { kind: 'cancelled', plan };
    hooks.applying?.();
    return { kind: 'applied', plan, result: await this.apply(planned, options) };
  }

  /** Releases the adapters and the state store's connections, and stops the sandbox, if one was started. */
  async close(): Promise<void> {
    await this.#connections.close();
    await this.store.close();
  }
}
