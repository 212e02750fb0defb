/**
 * Semantic checks on rotation policies: durations parse, the overlap (how long a replaced
 * key lives on) is shorter than max_age, in defaults and in each key's effective policy
 * (its own fields over the defaults), and before_expiry is shorter than the lifetime of a
 * kind whose keys expire (KindModule.lifetime): otherwise every new key would be due at
 * once and every apply would rotate again; and deactivate_for is only set on kinds that
 * can deactivate a key (KindSpec.canDeactivate); verify_timeout is longer than zero.
 */
import { parseDuration } from '../model/duration.js';
import { CONFIG_CODES } from './codes.js';
import type { CheckContext, KeyView } from './check-context.js';
import type { Path } from './paths.js';

/** The duration fields of a rotation block. */
export const DURATION_FIELDS = ['max_age', 'overlap', 'before_expiry', 'deactivate_for', 'verify_timeout'] as const;

interface Parsed {
  readonly text: string;
  readonly ms: number;
  readonly path: Path;
}

type ParsedRotation = Partial<Record<(typeof DURATION_FIELDS)[number], Parsed>>;

/** Checks `defaults.rotation` and every key's `rotation`. */
export function checkRotation(ctx: CheckContext): void {
  const defaults = readRotation(ctx, ['defaults', 'rotation']);
  checkVerifyTimeout(ctx, defaults.verify_timeout);
  checkOverlap(ctx, defaults.max_age, defaults.overlap, defaults.overlap?.path);

  for (const key of ctx.keys) {
    // Most keys take the defaults: no block of their own to read.
    const own = key.record['rotation'] === undefined ? {} : readRotation(ctx, [...key.path, 'rotation']);
    checkBeforeExpiry(ctx, key, own.before_expiry ?? defaults.before_expiry);
    checkDeactivate(ctx, key, own.deactivate_for ?? defaults.deactivate_for);
    checkVerifyTimeout(ctx, own.verify_timeout);
    // Only a combination this key contributes to is reported here; a conflict entirely
    // within defaults was reported once, above.
    if (own.max_age === undefined && own.overlap === undefined) continue;
    const at = own.overlap?.path ?? own.max_age?.path;
    checkOverlap(ctx, own.max_age ?? defaults.max_age, own.overlap ?? defaults.overlap, at);
  }
}

function checkBeforeExpiry(ctx: CheckContext, key: KeyView, beforeExpiry: Parsed | undefined): void {
  if (beforeExpiry === undefined) return;
  const kind = ctx.stringAt([...key.path, 'kind']);
  const lifetime = kind === undefined ? undefined : ctx.providers.kind(kind)?.lifetime;
  if (lifetime === undefined) return;
  const lifetimePath = [...key.path, lifetime.field];
  const text = ctx.stringAt(lifetimePath) ?? lifetime.default;
  const ms = text === undefined ? undefined : parseDuration(text);
  if (text === undefined || ms === undefined || beforeExpiry.ms < ms) return;
  const from = beforeExpiry.path[0] === 'defaults' ? ', from defaults.rotation' : '';
  const stated = ctx.stringAt(lifetimePath) === undefined ? ` (the default ${lifetime.field})` : ` (${lifetime.field})`;
  // Reported at the key's own field when it set one, else at its lifetime, so the place is this key's.
  ctx.report(
    beforeExpiry.path[0] === 'defaults' ? (ctx.stringAt(lifetimePath) === undefined ? [...key.path, 'kind'] : lifetimePath) : beforeExpiry.path,
    CONFIG_CODES.beforeExpiryTooLong,
    `rotation.before_expiry (${beforeExpiry.text}${from}) must be shorter than the key's lifetime ${text}${stated}, or every apply would rotate it again`,
  );
}

/** `deactivate_for` needs a kind that can deactivate keys; reported at the key's own field, or at its kind when it comes from defaults. */
function checkDeactivate(ctx: CheckContext, key: KeyView, deactivateFor: Parsed | undefined): void {
  if (deactivateFor === undefined) return;
  const kind = ctx.stringAt([...key.path, 'kind']);
  const spec = kind === undefined ? undefined : ctx.providers.kind(kind)?.spec;
  if (spec === undefined || spec.canDeactivate === true) return;
  const fromDefaults = deactivateFor.path[0] === 'defaults';
  ctx.report(
    fromDefaults ? [...key.path, 'kind'] : deactivateFor.path,
    CONFIG_CODES.cannotDeactivate,
    `rotation.deactivate_for (${deactivateFor.text}${fromDefaults ? ', from defaults.rotation' : ''}) cannot apply to ${spec.kind} keys: the provider cannot deactivate them; remove it${fromDefaults ? ' from defaults or set it only on keys that can' : ''}`,
  );
}

/** A zero `verify_timeout` would fail every new key that is still propagating; `verify: false` is the way to skip. */
function checkVerifyTimeout(ctx: CheckContext, timeout: Parsed | undefined): void {
  if (timeout === undefined || timeout.ms > 0) return;
  ctx.report(
    timeout.path,
    CONFIG_CODES.verifyTimeoutZero,
    `rotation.verify_timeout (${timeout.text}) must be longer than 0s; to skip verification set rotation.verify: false`,
  );
}

function readRotation(ctx: CheckContext, path: Path): ParsedRotation {
  const out: ParsedRotation = {};
  for (const field of DURATION_FIELDS) {
    const fieldPath = [...path, field];
    const text = ctx.stringAt(fieldPath);
    if (text === undefined) continue;
    const ms = parseDuration(text);
    // The schema's pattern matches the same grammar, so this only fires if they drift apart.
    if (ms === undefined) ctx.report(fieldPath, CONFIG_CODES.badDuration, `"${text}" is not a duration (use e.g. 90d, 12h or 1d12h)`);
    else out[field] = { text, ms, path: fieldPath };
  }
  return out;
}

function checkOverlap(ctx: CheckContext, maxAge: Parsed | undefined, overlap: Parsed | undefined, at: Path | undefined): void {
  if (maxAge === undefined || overlap === undefined || at === undefined) return;
  if (overlap.ms < maxAge.ms) return;
  const from = (p: Parsed): string => (p.path[0] === 'defaults' && at[0] !== 'defaults' ? `, from defaults.rotation` : '');
  ctx.report(at, CONFIG_CODES.overlapTooLong, `overlap (${overlap.text}${from(overlap)}) must be shorter than max_age (${maxAge.text}${from(maxAge)})`);
}
