/**
 * Builders for unit tests of apply steps over the fake provider: a step context whose
 * state store keeps every write in memory together with what the fake cloud held at that
 * moment, so a test can tell the order of journal writes, provider calls and commits.
 * Not used by production code.
 */
import type { DesiredKey, KeyplanConfig } from '../../src/model/desired.js';
import type { LiveSnapshot } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import type { KeyplanState } from '../../src/model/state.js';
import type { StepContext } from '../../src/apply/context.js';
import type { KindSpec } from '../../src/providers/contract.js';
import { plan } from '../../src/plan/planner.js';
import { configuredFakeAdapter, createFakeProvider, fakeToken, FAKE_TOKEN_KIND, type FakeAdapter, type FakeCloud } from '../../src/providers/fake/index.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { silentReporter } from '../../src/report/reporter.js';
import { newState } from '../../src/state/state-document.js';
import { StateSession } from '../../src/state/state-session.js';
import type { LockInfo, StateStore } from '../../src/state/store.js';

/** "now" of every apply fixture: 2025-06-01T00:00:00Z. */
export const APPLY_NOW = Date.parse('2025-06-01T00:00:00.000Z');

/** One durable state write, with the ids the fake cloud held when it was made. */
export interface RecordedWrite {
  readonly state: KeyplanState;
  readonly cloudIds: readonly string[];
  /** What `RecordingStore.probe` returned at that moment (e.g. an output file's content). */
  readonly probed?: string;
}

/** A StateStore in memory that records each write; `failWrites` makes the next writes throw. */
export class RecordingStore implements StateStore {
  readonly description = 'recording store';
  readonly writes: RecordedWrite[] = [];
  failWrites = 0;
  /** Called at each write; its result is kept in the write's `probed`. */
  probe: (() => string) | undefined;
  readonly #cloud: FakeCloud;

  constructor(cloud: FakeCloud) {
    this.#cloud = cloud;
  }

  lock(): Promise<LockInfo> {
    return Promise.reject(new Error('RecordingStore: the apply steps never lock'));
  }
  unlock(): Promise<void> {
    return Promise.reject(new Error('RecordingStore: the apply steps never unlock'));
  }
  forceUnlock(): Promise<void> {
    return Promise.reject(new Error('RecordingStore: the apply steps never unlock'));
  }
  read(): Promise<KeyplanState> {
    return Promise.reject(new Error('RecordingStore: the apply steps read state through their session'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  async write(state: KeyplanState): Promise<KeyplanState> {
    if (this.failWrites > 0) {
      this.failWrites -= 1;
      throw new Error('RecordingStore: disk full (injected)');
    }
    const written = { ...state, serial: state.serial + 1 };
    const probed = this.probe?.();
    this.writes.push({ state: written, cloudIds: this.#cloud.keys().map((k) => k.id), ...(probed !== undefined ? { probed } : {}) });
    return written;
  }
}

/** What `applyFixture` builds. */
export interface ApplyFixture {
  readonly ctx: StepContext;
  readonly store: RecordingStore;
  readonly adapter: FakeAdapter;
  /** The session's latest state. */
  readonly state: () => KeyplanState;
}

/** Settings of `applyFixture`. */
export interface ApplyFixtureOptions {
  readonly keys: readonly DesiredKey[];
  /** Folder output paths resolve against. */
  readonly baseDir: string;
  /** @default a new empty state */
  readonly initial?: KeyplanState;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A step context over `cloud`: one fake provider block named `fake`, intent ids `intent-1`, `intent-2`, … */
export async function applyFixture(cloud: FakeCloud, options: ApplyFixtureOptions): Promise<ApplyFixture> {
  const adapter = await configuredFakeAdapter(cloud);
  const store = new RecordingStore(cloud);
  const session = new StateSession(store, options.initial ?? newState());
  let ids = 0;
  const config: KeyplanConfig = {
    file: 'keys.yaml',
    baseDir: options.baseDir,
    hash: '0'.repeat(64),
    state: { backend: 'local', path: '.keyplan/state.json' },
    providers: { fake: { name: 'fake', type: 'fake', settings: {} } },
    keys: options.keys,
  };
  const ctx: StepContext = {
    config,
    providers: new ProviderRegistry([createFakeProvider(cloud)]),
    adapters: new Map([['fake', adapter]]),
    session,
    env: options.env ?? {},
    reporter: silentReporter,
    now: () => APPLY_NOW,
    newId: () => `intent-${++ids}`,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  return { ctx, store, adapter, state: () => session.current };
}

/** Reads every owner's tokens through the adapter, as refresh would. */
export async function fakeSnapshot(adapter: FakeAdapter, owners: readonly string[]): Promise<LiveSnapshot> {
  const scopes = owners.map((owner) => ({ provider: 'fake', kind: FAKE_TOKEN_KIND, owner }));
  const keys = (await Promise.all(owners.map((owner) => adapter.list({ kind: FAKE_TOKEN_KIND, owner })))).flatMap((r) => r.keys);
  return { scopes, keys };
}

/** Settings of `planFake`. */
export interface PlanFakeOptions {
  /** `--rotate` names. @default [] */
  readonly rotate?: readonly string[];
  /** @default APPLY_NOW */
  readonly now?: number;
  /** Changes to `fake.token`'s KindSpec (e.g. `rotationOrder`). @default none */
  readonly spec?: Partial<KindSpec>;
}

/** Plans `keys` against what the fake cloud holds for `owners`, with `fake.token` as the only kind. */
export async function planFake(fixture: ApplyFixture, keys: readonly DesiredKey[], owners: readonly string[], options: PlanFakeOptions = {}): Promise<Plan> {
  const live = await fakeSnapshot(fixture.adapter, owners);
  const kinds = { [FAKE_TOKEN_KIND]: { ...fakeToken, ...options.spec } };
  const readableOutputs = [...fixture.ctx.providers.outputs.values()].filter((o) => o.readBack !== undefined).map((o) => o.type);
  return plan(keys, live, fixture.state(), { now: options.now ?? APPLY_NOW, kinds, rotate: options.rotate ?? [], readableOutputs });
}
