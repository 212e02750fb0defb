/**
 * Why an existing, live key must change: the rotation triggers in their order of
 * precedence (config_changed, requested, max_age, expiring) and in-place updates.
 */
import type { AttributeValue, Attributes, DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { Reason } from '../model/plan.js';
import type { ManagedKey } from '../model/state.js';
import type { KindSpec } from '../providers/contract.js';
import { formatDuration } from '../model/duration.js';
import { parseTime, type PlanContext } from './context.js';
import { keyDiagnostic, PLAN_CODES, type KeyLocation } from './diagnostics.js';

/** A reason to change a key, with the sentences that explain it to a reviewer. */
export interface Trigger {
  readonly reason: Reason;
  readonly notes: readonly string[];
}

/** Whether two attribute values are the same (NaN equals NaN, so a value never differs from itself). */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return Object.is(a, b);
}

/** Names of the listed attributes whose values differ, sorted. */
export function differingAttributes(names: readonly string[], a: Attributes, b: Attributes): string[] {
  return [...new Set(names)].filter((n) => !sameValue(a[n], b[n])).sort();
}

/** The first rotation trigger that applies, or undefined when the key may stay as it is. */
export function rotationTrigger(ctx: PlanContext, at: KeyLocation, record: ManagedKey, live: LiveKey, spec: KindSpec, requested: boolean): Trigger | undefined {
  const d = at.key;
  const changed = differingAttributes(spec.replaceOn, record.current.attributes ?? {}, d.attributes ?? {});
  const moved = record.owner !== d.owner || record.provider !== d.provider || record.kind !== d.kind;
  if (changed.length > 0 || moved) {
    const notes = moved ? [`the key moves from ${record.provider} ${record.kind} ${record.owner} to ${d.provider} ${d.kind} ${d.owner}`] : [];
    return { reason: 'config_changed', notes };
  }
  if (requested) return { reason: 'requested', notes: [] };
  const maxAge = d.rotation?.maxAgeMs;
  if (maxAge) {
    // After `rotation undo`, age counts from the undo: the rotation just undone is not redone at once.
    const since = record.current.restoredAt ?? record.current.createdAt;
    const created = parseTime(since);
    if (created === undefined) {
      ctx.diagnostics.push(
        keyDiagnostic(
          'warning',
          PLAN_CODES.badTimestamp,
          `state records an unreadable creation time "${String(record.current.createdAt)}" for ${d.name}; rotation.max_age is not checked`,
          at,
        ),
      );
    } else if (ctx.now - created >= maxAge) {
      const what = record.current.restoredAt === undefined ? 'created' : 'made current again by rotation undo';
      const note = `key ${record.current.id} was ${what} ${since}; rotation.max_age is ${formatDuration(maxAge)}`;
      return { reason: 'max_age', notes: [note] };
    }
  }
  // Without rotation.before_expiry, a key is still replaced once it has expired: an
  // expired key cannot sign (some providers keep listing it active), so leaving it helps no one.
  const window = d.rotation?.beforeExpiryMs ?? 0;
  if (live.expiresAt !== undefined) {
    const expires = parseTime(live.expiresAt);
    if (expires !== undefined && expires - ctx.now <= window) {
      const note =
        window > 0
          ? `key ${live.id} expires ${live.expiresAt}; rotation.before_expiry is ${formatDuration(window)}`
          : `key ${live.id} expired ${live.expiresAt}`;
      return { reason: 'expiring', notes: [note] };
    }
  }
  return undefined;
}

/**
 * Attributes the provider can change in place whose live value differs from the declared
 * one. The reason is `config_changed` when the declaration moved away from what keyplan
 * recorded, `drift_state` when the live key was changed outside keyplan.
 */
export function updateTrigger(
  record: ManagedKey,
  live: LiveKey,
  d: DesiredKey,
  spec: KindSpec,
): { readonly changes: Attributes; readonly reason: Reason } | undefined {
  const liveAttrs = live.attributes ?? {};
  const wanted = d.attributes ?? {};
  // Only attributes the provider reports can be compared; others are trusted as recorded.
  const names = spec.updatable.filter((n) => n in liveAttrs && n in wanted && !sameValue(liveAttrs[n], wanted[n]));
  if (names.length === 0) return undefined;
  const changes: Record<string, AttributeValue> = {};
  for (const n of [...names].sort()) changes[n] = wanted[n] as AttributeValue;
  const configMoved = names.some((n) => !sameValue(record.current.attributes?.[n], wanted[n]));
  return { changes, reason: configMoved ? 'config_changed' : 'drift_state' };
}
