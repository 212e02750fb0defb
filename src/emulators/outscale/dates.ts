/**
 * OUTSCALE date handling (§A2 Formats): responses use `YYYY-MM-DDTHH:MM:SS.mmm+0000`;
 * `ExpirationDate` input is ISO 8601 date-time or date, a bare date meaning midnight UTC.
 */
import { invalidType, invalidValue, type OscApiError } from './errors.js';

/** `2063-04-05T00:00:00.000+0000` for an epoch-ms instant. */
export function formatOscDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an `ExpirationDate` input to epoch ms. A non-string or an empty string is the
 * wrong type (issue #342: `""` → InvalidParameterType); an unparseable string a wrong value.
 * A date-time without an offset is read as UTC.
 */
export function parseExpirationDate(value: unknown): number | OscApiError {
  if (typeof value !== 'string' || value.length === 0) return invalidType('ExpirationDate');
  const m = ISO_8601.exec(value);
  if (m === null) return invalidValue(`The provided value '${value}' for ExpirationDate is not a valid ISO 8601 date.`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${offset}`;
  const ms = Date.parse(iso);
  // Date.parse accepts 2024-02-30; a round trip of the calendar date catches it.
  if (Number.isNaN(ms) || (zone === 'Z' && new Date(ms).toISOString().slice(0, 10) !== `${y}-${mo}-${d}`)) {
    return invalidValue(`The provided value '${value}' for ExpirationDate is not a valid ISO 8601 date.`);
  }
  return ms;
}
