/**
 * How soon a key created through an emulator's API authenticates: at once (the default),
 * after a propagation delay, or never. Real providers take a while to accept a new
 * credential everywhere (OCI users see 401s for a while after an upload), and keyplan
 * proves a new key works before it retires the old one; these options let tests and the
 * sandbox reproduce both the wait and a key that never works. The choice is recorded on
 * the key when it is created, so it survives restarts of an emulator sharing a data folder.
 * Bootstrap and test-user keys are never affected: the emulator's own callers keep working.
 */
import { nonNegative } from './options.js';

/** Options every provider emulator takes for keys created through its API. */
export interface NewKeyAuthOptions {
  /**
   * Milliseconds after its creation during which a new key is refused with the provider's
   * authentication error ([guess]: no provider documents how long propagation takes). @default 0
   */
  newKeyAuthDelayMs?: number;
  /** Keys created while this is set never authenticate (their creation still succeeds). @default false */
  newKeysNeverAuthenticate?: boolean;
}

/** The options with defaults filled in. */
export interface ResolvedNewKeyAuth {
  readonly newKeyAuthDelayMs: number;
  readonly newKeysNeverAuthenticate: boolean;
}

/**
 * When a key may authenticate, as stored with it: absent = at once, a number = from that
 * epoch ms on, null = never.
 */
export type AuthenticatesFrom = number | null | undefined;

/** Fills in the defaults; a negative or non-finite delay is a programmer error. */
export function resolveNewKeyAuth(options: NewKeyAuthOptions): ResolvedNewKeyAuth {
  return {
    newKeyAuthDelayMs: nonNegative('newKeyAuthDelayMs', options.newKeyAuthDelayMs, 0),
    newKeysNeverAuthenticate: options.newKeysNeverAuthenticate ?? false,
  };
}

/** What to record on a key created at `now`: undefined when it authenticates at once. */
export function authenticatesFromFor(options: ResolvedNewKeyAuth, now: number): AuthenticatesFrom {
  if (options.newKeysNeverAuthenticate) return null;
  return options.newKeyAuthDelayMs > 0 ? now + options.newKeyAuthDelayMs : undefined;
}

/** The field to spread into a new key record (nothing when it authenticates at once). */
export function authenticatesFromField(options: ResolvedNewKeyAuth, now: number): { authenticatesFrom?: number | null } {
  const from = authenticatesFromFor(options, now);
  return from === undefined ? {} : { authenticatesFrom: from };
}

/** Why a key with `from` recorded does not authenticate at `now`, or undefined when it does (for request logs). */
export function notYetAuthenticating(from: AuthenticatesFrom, now: number): string | undefined {
  if (from === undefined) return undefined;
  if (from === null) return 'the key was created to never authenticate (newKeysNeverAuthenticate)';
  return now < from ? `the new key is still propagating (authenticates ${from - now} ms from now)` : undefined;
}

/** The sandbox's numeric knobs (`SandboxStartOptions.extra`) as these options. */
export function newKeyAuthFromExtra(extra: Readonly<Record<string, number>> | undefined): NewKeyAuthOptions {
  const delay = extra?.['newKeyAuthDelayMs'];
  const never = extra?.['newKeysNeverAuthenticate'];
  return {
    ...(delay === undefined ? {} : { newKeyAuthDelayMs: delay }),
    ...(never === undefined ? {} : { newKeysNeverAuthenticate: never !== 0 }),
  };
}
