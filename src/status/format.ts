/**
 * `keyplan status` as text: one table row per key (name, kind, age, expiry, phase, what is
 * next and when), an indented row per pending or retiring instance, and the JSON document
 * of `--format json` (format_version 1). Times print as RFC 3339 with a relative hint; no
 * colour, so the text is the same on a terminal and in a CI log.
 */
import { formatDuration } from '../model/duration.js';
import type { InstancePhase } from '../model/phases.js';
import type { DueEvent, KeyStatus } from './key-status.js';

/** Version of the `--format json` document. */
export const STATUS_FORMAT_VERSION = 1;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A span rounded to hours beyond a day and to minutes below, so ages and hints stay short. */
function rounded(ms: number): number {
  const unit = ms >= 24 * HOUR ? HOUR : MINUTE;
  return Math.round(ms / unit) * unit;
}

/** `in 3d4h` / `2h ago` / `now`, rounded to hours beyond a day and to minutes below. */
export function relative(at: string, now: number): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return 'unknown';
  const delta = t - now;
  const span = rounded(Math.abs(delta));
  if (span === 0) return 'now';
  return delta > 0 ? `in ${formatDuration(span)}` : `${formatDuration(span)} ago`;
}

function when(at: string | undefined, now: number): string {
  return at === undefined ? '' : `${at} (${relative(at, now)})`;
}

function nextOf(s: KeyStatus, now: number): string {
  const current = s.phases.find((p) => p.role === 'current');
  if (!s.declared) return 'deleted by the next apply (no longer in keys.yaml)';
  if (s.phases.some((p) => p.role === 'pending')) return 'verification of its new key';
  if (s.nextRotation !== undefined) return `rotation (${s.nextRotation.reason}) ${when(s.nextRotation.at, now)}`;
  return current?.next === undefined ? '-' : `${current.next.phase} ${when(current.next.at, now)}`.trim();
}

function instanceLine(p: InstancePhase, now: number): string {
  const until = p.until === undefined ? '' : ` until ${when(p.until, now)}`;
  const next = p.next === undefined ? '' : `, then ${p.next.phase}${p.next.at === undefined ? (p.next.due ? ' at the next apply' : '') : ''}`;
  return `${p.instanceId} (${p.role}): ${p.phase}${until}${next}`;
}

/** The human table. */
export function formatStatusText(statuses: readonly KeyStatus[], now: number): string {
  if (statuses.length === 0) return 'No keys are managed yet (the state is empty).';
  const rows: string[][] = [['NAME', 'KIND', 'AGE', 'EXPIRES', 'PHASE', 'NEXT']];
  const extra = new Map<number, string[]>();
  for (const s of statuses) {
    const current = s.phases.find((p) => p.role === 'current');
    const age = s.ageMs === undefined ? 'unknown' : formatDuration(rounded(s.ageMs));
    rows.push([s.name, s.kind, age, s.expiresAt === undefined ? '-' : when(s.expiresAt, now), current?.phase ?? '-', nextOf(s, now)]);
    const others = s.phases.filter((p) => p.role !== 'current').map((p) => instanceLine(p, now));
    if (others.length > 0) extra.set(rows.length - 1, others);
  }
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  const lines: string[] = [];
  rows.forEach((r, i) => {
    lines.push(r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0))).join('  '));
    for (const e of extra.get(i) ?? []) lines.push(`${' '.repeat((widths[0] ?? 0) + 2)}${e}`);
  });
  return lines.join('\n');
}

/** The `--format json` document. `due` is present with `--expiring-within`. */
export function statusJson(statuses: readonly KeyStatus[], now: number, due?: { readonly windowMs: number; readonly events: readonly DueEvent[] }): string {
  const doc = {
    format_version: STATUS_FORMAT_VERSION,
    now: new Date(now).toISOString(),
    keys: statuses.map((s) => ({
      name: s.name,
      kind: s.kind,
      provider: s.provider,
      owner: s.owner,
      id: s.id,
      since: s.since,
      age_seconds: s.ageMs === undefined ? null : Math.floor(s.ageMs / 1000),
      expires_at: s.expiresAt ?? null,
      declared: s.declared,
      next_rotation: s.nextRotation ?? null,
      phases: s.phases.map((p) => ({
        instance_id: p.instanceId,
        role: p.role,
        phase: p.phase,
        until: p.until ?? null,
        next: p.next === undefined ? null : { phase: p.next.phase, at: p.next.at ?? null, due: p.next.due },
      })),
    })),
    ...(due === undefined ? {} : { expiring_within: formatDuration(due.windowMs), due: due.events }),
  };
  return JSON.stringify(doc, null, 2);
}
