/**
 * Builders for planner and renderer tests: small, readable inputs with sensible defaults.
 * Not used by production code.
 */
import { expect } from 'vitest';
import type { DesiredKey } from '../../src/model/desired.js';
import type { LiveKey, LiveSnapshot, Scope } from '../../src/model/live.js';
import type { Intent, KeyplanState, ManagedKey, RetiringInstance } from '../../src/model/state.js';
import type { KindSpec } from '../../src/providers/contract.js';
import { defaultRegistry } from '../../src/providers/registry.js';
import type { PlanOptions } from '../../src/plan/planner.js';
import type { PlannedChange } from '../../src/model/plan.js';

/** 2025-06-01T00:00:00Z, the "now" of every fixture. */
export const NOW = Date.parse('2025-06-01T00:00:00.000Z');
/** One day in ms. */
export const DAY = 86_400_000;
/** The owners (OCI user OCIDs) fixtures use. */
export const USER_A = 'ocid1.user.oc1..a';
/** A second owner, with its own quota. */
export const USER_B = 'ocid1.user.oc1..b';

/** A kind without quota that rotates delete-first, to exercise the other paths. */
export const testToken: KindSpec = {
  kind: 'test.token',
  providerType: 'test',
  replaceOn: ['scope'],
  updatable: ['state'],
  computed: ['token_id'],
  sensitive: ['token'],
  rotationOrder: 'delete_before_create',
};

/** The real kinds plus `test.token`. */
export const TEST_KINDS: Readonly<Record<string, KindSpec>> = { ...defaultRegistry.kinds, [testToken.kind]: testToken };

/** RFC 3339 of NOW minus some days. */
export function daysAgo(days: number): string {
  return new Date(NOW - days * DAY).toISOString();
}

/** A declared oci.api_key for USER_A, 2048 bits, no rotation policy. */
export function desired(name: string, over: Partial<DesiredKey> = {}): DesiredKey {
  const owner = over.owner ?? USER_A;
  return {
    name,
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    attributes: { user: owner, bits: 2048 },
    passphrase: { env: 'PASS' },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
    ...over,
  };
}

/** A live oci.api_key: id is the fingerprint. */
export function live(id: string, over: Partial<LiveKey> = {}): LiveKey {
  const owner = over.owner ?? USER_A;
  return {
    provider: 'oci',
    kind: 'oci.api_key',
    owner,
    id,
    status: 'active',
    createdAt: daysAgo(1),
    attributes: { user: owner, fingerprint: id },
    ...over,
  };
}

/** A state record for `name` whose current key is `id`, created a day ago. */
export function record(name: string, id: string, over: Partial<ManagedKey> = {}): ManagedKey {
  const owner = over.owner ?? USER_A;
  return {
    name,
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    current: { id, createdAt: daysAgo(1), attributes: { user: owner, bits: 2048 } },
    retiring: [],
    ...over,
  };
}

/** A retiring instance whose overlap ends `dueInDays` from NOW (negative: already due). */
export function retiring(id: string, dueInDays: number, owner = USER_A): RetiringInstance {
  return {
    id,
    createdAt: daysAgo(100),
    attributes: { user: owner, bits: 2048 },
    retireAfter: new Date(NOW + dueInDays * DAY).toISOString(),
  };
}

/** A create intent left by a run that died. */
export function createIntent(name: string, liveId: string, owner = USER_A): Intent {
  return {
    id: `intent-${name}-${liveId}`,
    operation: 'create',
    name,
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    liveId,
    startedAt: daysAgo(0),
  };
}

/** State holding these records and intents. */
export function state(records: readonly ManagedKey[] = [], intents: readonly Intent[] = []): KeyplanState {
  return {
    version: 1,
    lineage: '00000000-0000-4000-8000-000000000000',
    serial: 1,
    keys: Object.fromEntries(records.map((r) => [r.name, r])),
    intents,
  };
}

/** A snapshot of these keys; by default the scopes of USER_A and USER_B for oci.api_key were read. */
export function snapshot(keys: readonly LiveKey[] = [], scopes?: readonly Scope[]): LiveSnapshot {
  const read = scopes ?? [USER_A, USER_B].map((owner) => ({ provider: 'oci', kind: 'oci.api_key', owner }));
  return { scopes: read, keys };
}

/** Planner options at NOW with the test kinds. */
export function options(over: Partial<PlanOptions> = {}): PlanOptions {
  return { now: NOW, kinds: TEST_KINDS, ...over };
}

/** Matches a change's `deletes` by id, in order (the scope of each is asserted where it matters). */
export function refs(...ids: string[]): unknown[] {
  return ids.map((id) => expect.objectContaining({ id }));
}

/** A hand-written in-place update of `oci.api_key.ci` from `before` to `after` (renderer tests). */
export function updateChange(before: PlannedChange['before'], after: PlannedChange['after']): PlannedChange {
  return {
    address: 'oci.api_key.ci',
    name: 'ci',
    kind: 'oci.api_key',
    provider: 'oci',
    owner: 'u',
    action: 'update',
    reason: 'config_changed',
    before,
    after,
    computed: [],
    sensitive: [],
    deletes: [],
    dependsOn: [],
    notes: [],
  };
}
