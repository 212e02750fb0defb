/**
 * Go's `time.ParseDuration` grammar, which `dataos-ctl user apikey create -d` takes
 * (`24h`, `720h`, `1h30m`, `1.5h`): an optional sign, then one or more decimal numbers
 * each followed by a unit (ns, us, µs, μs, ms, s, m, h); `0` alone is allowed.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/** The duration in milliseconds, or undefined when `text` is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < rest.length) {
    const at = PART.lastIndex;
    const m = PART.exec(rest);
    if (m === null || m.index !== at) return undefined;
    const number = m[1] ?? '';
    // Go wants at least one digit on either side of the point.
    if (number === '' || number === '.') return undefined;
    total += Number(number) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}
