/**
 * The declared side of an access key, read from the DesiredKey the config layer built
 * (attributes `user_name`, `expires_in`, `state`), and the UpdateAccessKey expiry fields
 * that bring a live key to it. `expires_in` counts from the key's creation, so updating
 * it moves the expiry to creation + expires_in, and leaving it alone re-sends the
 * current date: UpdateAccessKey without ExpirationDate would clear it (§A2).
 */
import { KeyplanError } from '../../errors/errors.js';
import type { DesiredKey } from '../../model/desired.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import { formatOapiDate, lifetimeText, parseOapiDate, type AccessKeyState, type WireAccessKey } from './access-key.js';
import { OSC_CODES } from './codes.js';

/** The declared state. @default 'ACTIVE' */
export function desiredState(key: DesiredKey): AccessKeyState {
  return key.attributes['state'] === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE';
}

/** The declared lifetime in ms, or undefined for a key that never expires. */
export function desiredLifetime(key: DesiredKey): number | undefined {
  const text = key.attributes['expires_in'];
  if (text === undefined || text === null) return undefined;
  const ms = typeof text === 'string' ? parseDuration(text) : undefined;
  if (ms === undefined || ms <= 0) {
    throw new KeyplanError(`key "${key.name}": expires_in must be a positive duration such as 90d, got ${JSON.stringify(text)}`, {
      code: OSC_CODES.badExpiresIn,
      source: 'user',
    });
  }
  return ms;
}

/** ExpirationDate (epoch ms) of a key created at `now`, or undefined when it never expires. */
export function desiredExpiry(key: DesiredKey, now: number): number | undefined {
  const lifetime = desiredLifetime(key);
  return lifetime === undefined ? undefined : now + lifetime;
}

/** The expiry fields of an UpdateAccessKey that leave `current` with the declared expiry. */
export function expiryUpdate(key: DesiredKey, current: WireAccessKey, now: number): Readonly<Record<string, unknown>> {
  const lifetime = desiredLifetime(key);
  const expires = parseOapiDate(current.ExpirationDate);
  if (lifetime === undefined) return expires === undefined ? {} : { ClearExpirationDate: true };
  const created = parseOapiDate(current.CreationDate);
  if (expires !== undefined && created !== undefined && lifetimeText(created, expires) === formatDuration(lifetime)) {
    return { ExpirationDate: formatOapiDate(expires) };
  }
  const target = (created ?? now) + lifetime;
  if (target <= now) {
    // The API's answer to a past date is undocumented (§A2); refuse it here, as Terraform does.
    throw new KeyplanError(
      `key "${key.name}": expires_in ${formatDuration(lifetime)} from the key's creation (${formatOapiDate(created ?? now)}) ended ${formatOapiDate(target)}; ` +
        `rotate the key instead: keyplan apply --rotate ${key.name}`,
      { code: OSC_CODES.expiryInPast, source: 'user' },
    );
  }
  return { ExpirationDate: formatOapiDate(target) };
}
