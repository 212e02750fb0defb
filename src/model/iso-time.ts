/**
 * Timestamps as keyplan keeps them: ISO 8601 in UTC with milliseconds, the form
 * `Date#toISOString` writes (`2026-12-03T16:44:09.971Z`). A refresh turns two or three
 * provider dates per key into this form. toISOString formats through printf, some 2 µs a
 * call at the tier a command runs at (a refresh of 2,000 keys: a few ms), and the dates
 * providers answer with are mostly in this form already.
 */

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ZERO = 48;

/**
 * toISOString's form of the time `text` names, where `ms` is `Date.parse(text)` (not NaN):
 * `text` itself when it is in that form, else the formatted time. Date.parse reads day 29
 * to 31 of a shorter month and hour 24 as a later day, which toISOString writes otherwise,
 * so a text with a day above 28 or hour 24 is formatted.
 */
export function isoOf(text: string, ms: number): string {
  return isSafelyCanonical(text) ? text : new Date(ms).toISOString();
}

function isSafelyCanonical(text: string): boolean {
  if (text.length !== 24 || !CANONICAL.test(text)) return false;
  const day = (text.charCodeAt(8) - ZERO) * 10 + (text.charCodeAt(9) - ZERO);
  const hour = (text.charCodeAt(11) - ZERO) * 10 + (text.charCodeAt(12) - ZERO);
  return day <= 28 && hour <= 23;
}
