/**
 * The rotation phases of one managed key, computed from its state record alone: which
 * phase each of its live instances is in (created → verified → overlap → deactivated →
 * deleted, or unverified for a rotation's new key that has not authenticated yet), until
 * when, and which phase comes next and from when. Plans and `keyplan status` render from
 * this one function, so they always agree. Pure: the caller passes `now`.
 */
import type { RotationPolicy } from './desired.js';
import type { ManagedKey } from './state.js';

/** The phases of a key's life, in the order a rotation walks them. */
export type PhaseName = 'created' | 'unverified' | 'verified' | 'overlap' | 'deactivated' | 'deleted';

/** Which slot of the state record an instance sits in. */
export type PhaseRole = 'current' | 'pending' | 'retiring';

/** The phase an instance goes to next. */
export interface NextPhase {
  readonly phase: PhaseName;
  /** RFC 3339: from when the next apply moves it there; absent when it is not time-bound (e.g. waiting for a verification). */
  readonly at?: string;
  /** True when the next apply moves it (its time has come, or it waits on nothing but an apply). */
  readonly due: boolean;
}

/** One instance's phase. */
export interface InstancePhase {
  /** The live key's id. */
  readonly instanceId: string;
  readonly role: PhaseRole;
  readonly phase: PhaseName;
  /** RFC 3339: when the phase ends (overlap and deactivated phases). */
  readonly until?: string;
  readonly next?: NextPhase;
}

/** The parts of a rotation policy the phases depend on. */
export type PhaseRotation = Partial<Pick<RotationPolicy, 'maxAgeMs' | 'overlapMs' | 'deactivateForMs'>>;

const ROLE_ORDER: Readonly<Record<PhaseRole, number>> = { current: 0, pending: 1, retiring: 2 };

/**
 * The phases of `key`'s instances at `now` (ms since the epoch): the current key first,
 * then a pending one, then the retiring ones by the end of their phase and id.
 * `rotation` is the key's declared policy; without it (a key no longer declared) the
 * current key has no next phase and an overlap ends in a delete.
 */
export function keyPhases(key: ManagedKey, now: number, rotation?: PhaseRotation): InstancePhase[] {
  const out: InstancePhase[] = [currentPhase(key, now, rotation)];
  if (key.pending !== undefined) {
    out.push({ instanceId: key.pending.id, role: 'pending', phase: 'unverified', next: { phase: 'verified', due: true } });
  }
  for (const instance of key.retiring) {
    if (instance.deactivatedAt !== undefined) {
      const until = instance.deleteAfter;
      out.push({
        instanceId: instance.id,
        role: 'retiring',
        phase: 'deactivated',
        ...(until === undefined ? {} : { until }),
        next: nextAt('deleted', until, now),
      });
      continue;
    }
    const after = deactivates(rotation) ? 'deactivated' : 'deleted';
    out.push({ instanceId: instance.id, role: 'retiring', phase: 'overlap', until: instance.retireAfter, next: nextAt(after, instance.retireAfter, now) });
  }
  return out.sort(compareInstances);
}

function currentPhase(key: ManagedKey, now: number, rotation: PhaseRotation | undefined): InstancePhase {
  const phase: PhaseName = key.current.verifiedAt === undefined ? 'created' : 'verified';
  const base = { instanceId: key.current.id, role: 'current', phase } as const;
  // After `rotation undo`, age counts from the undo (as the planner's max_age trigger does).
  const created = Date.parse(key.current.restoredAt ?? key.current.createdAt);
  // A pending successor already exists: the current key's next step is the verification of that one, not an age.
  if (rotation?.maxAgeMs === undefined || Number.isNaN(created) || key.pending !== undefined) return base;
  const at = new Date(created + rotation.maxAgeMs).toISOString();
  // Its successor's creation starts the current key's overlap; without one it goes straight on.
  const after: PhaseName = (rotation.overlapMs ?? 0) > 0 ? 'overlap' : deactivates(rotation) ? 'deactivated' : 'deleted';
  return { instanceId: base.instanceId, role: base.role, phase, next: nextAt(after, at, now) };
}

function deactivates(rotation: PhaseRotation | undefined): boolean {
  return rotation?.deactivateForMs !== undefined && rotation.deactivateForMs > 0;
}

function nextAt(phase: PhaseName, at: string | undefined, now: number): NextPhase {
  if (at === undefined) return { phase, due: true };
  const time = Date.parse(at);
  return { phase, at, due: Number.isNaN(time) || now >= time };
}

function compareInstances(a: InstancePhase, b: InstancePhase): number {
  const role = ROLE_ORDER[a.role] - ROLE_ORDER[b.role];
  if (role !== 0) return role;
  const until = compare(a.until ?? '', b.until ?? '');
  return until !== 0 ? until : compare(a.instanceId, b.instanceId);
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
