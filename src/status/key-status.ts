/**
 * src/status: what `keyplan status` reports, computed from the state and keys.yaml alone
 * (no provider call, no credentials): per managed key its age, expiry, the phase of each
 * of its live instances (model/phases.ts, as plans show them) and when its next rotation
 * or phase is due; and which of those fall inside a warning window. Pure: the caller
 * passes `now` and how to read a recorded key's expiry.
 */
import type { DesiredKey } from '../model/desired.js';
import { keyPhases, type InstancePhase } from '../model/phases.js';
import type { KeyplanState, ManagedKey } from '../model/state.js';

/** Why a key's next rotation happens. */
export type RotationReason = 'max_age' | 'before_expiry' | 'expiry';

/** One managed key's status. */
export interface KeyStatus {
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  /** The current key's id. */
  readonly id: string;
  /** RFC 3339: the current key's creation (or its restoration by `rotation undo`, which age counts from). */
  readonly since: string;
  /** Milliseconds since `since`; undefined when state holds an unreadable time. */
  readonly ageMs?: number;
  /** RFC 3339: when the current key expires, for kinds whose keys do. */
  readonly expiresAt?: string;
  /** False for a key state still records but keys.yaml no longer declares (the next apply deletes it). */
  readonly declared: boolean;
  readonly phases: readonly InstancePhase[];
  /** When the next apply rotates the current key, and why; absent when nothing schedules it. */
  readonly nextRotation?: { readonly at: string; readonly reason: RotationReason };
}

/** Something that happens to a key at a time: what `--expiring-within` warns about. */
export interface DueEvent {
  readonly name: string;
  /** e.g. `expires`, `rotation (max_age)`, `AKIA… overlap → deactivated`. */
  readonly what: string;
  /** RFC 3339. */
  readonly at: string;
}

/** Reads a recorded key's expiry (from its kind: an attribute, or creation + lifetime). */
export type ExpiryOf = (record: ManagedKey) => string | undefined;

/** Every managed key's status at `now`, sorted by name. */
export function keyStatuses(state: KeyplanState, desired: readonly DesiredKey[], now: number, expiryOf: ExpiryOf): KeyStatus[] {
  const declared = new Map(desired.map((d) => [d.name, d]));
  return Object.values(state.keys)
    .map((record) => statusOf(record, declared.get(record.name), now, expiryOf))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function statusOf(record: ManagedKey, d: DesiredKey | undefined, now: number, expiryOf: ExpiryOf): KeyStatus {
  const since = record.current.restoredAt ?? record.current.createdAt;
  const sinceMs = Date.parse(since);
  const expiresAt = expiryOf(record);
  const nextRotation = d === undefined ? undefined : rotationOf(d, sinceMs, expiresAt, record);
  return {
    name: record.name,
    kind: record.kind,
    provider: record.provider,
    owner: record.owner,
    id: record.current.id,
    since,
    ...(Number.isNaN(sinceMs) ? {} : { ageMs: Math.max(0, now - sinceMs) }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    declared: d !== undefined,
    phases: keyPhases(record, now, d?.rotation),
    ...(nextRotation === undefined ? {} : { nextRotation }),
  };
}

/** The earliest of max_age and the expiry (less before_expiry), as the planner's triggers (plan/reasons.ts) see them. */
function rotationOf(d: DesiredKey, sinceMs: number, expiresAt: string | undefined, record: ManagedKey): KeyStatus['nextRotation'] {
  // A rotation under way (a pending successor) is the next thing; no new one is scheduled.
  if (record.pending !== undefined) return undefined;
  const candidates: { at: number; reason: RotationReason }[] = [];
  if (d.rotation.maxAgeMs !== undefined && !Number.isNaN(sinceMs)) candidates.push({ at: sinceMs + d.rotation.maxAgeMs, reason: 'max_age' });
  const expires = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
  if (!Number.isNaN(expires)) {
    const window = d.rotation.beforeExpiryMs;
    candidates.push(window === undefined ? { at: expires, reason: 'expiry' } : { at: expires - window, reason: 'before_expiry' });
  }
  const first = candidates.sort((a, b) => a.at - b.at)[0];
  return first === undefined ? undefined : { at: new Date(first.at).toISOString(), reason: first.reason };
}

/**
 * What happens to the keys before `now + windowMs` (or has already come due): a current
 * key expiring, a rotation coming due, an instance's next phase (an overlap ending, a
 * deactivated key's deletion) or a rotation waiting for its new key to authenticate.
 * Sorted by time, then name.
 */
export function dueWithin(statuses: readonly KeyStatus[], now: number, windowMs: number): DueEvent[] {
  const limit = now + windowMs;
  const out: DueEvent[] = [];
  const add = (name: string, what: string, at: string | undefined, due = false): void => {
    const t = at === undefined ? Number.NaN : Date.parse(at);
    if (due || (!Number.isNaN(t) && t <= limit)) out.push({ name, what, at: at ?? new Date(now).toISOString() });
  };
  for (const s of statuses) {
    add(s.name, 'expires', s.expiresAt);
    if (s.nextRotation !== undefined) add(s.name, `rotation (${s.nextRotation.reason})`, s.nextRotation.at);
    for (const p of s.phases) {
      if (p.role === 'current' || p.next === undefined) continue;
      add(s.name, `${p.instanceId} ${p.phase} → ${p.next.phase}`, p.next.at, p.next.at === undefined && p.next.due);
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
