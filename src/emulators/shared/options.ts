/**
 * The options every emulator's server takes (port, data folder, latency, fault rate and
 * seed) and the checks on numeric options, so all three reject a bad value the same way
 * and with the same words. Provider options and their guesses stay in each emulator.
 */

/** The server options each emulator's own options include (see its JSDoc for defaults). */
export interface ServerOptions {
  port?: number;
  dataDir?: string;
  latencyMs?: number;
  failRate?: number;
  seed?: number;
}

/** Server options with every default filled in. */
export interface ResolvedServerOptions {
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly latencyMs: number;
  readonly failRate: number;
  readonly seed: number | undefined;
}

/** `value` (or `fallback` when absent), refused unless finite, >= 0 and, if asked, whole. */
export function nonNegative(name: string, value: number | undefined, fallback: number, integer = false): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new TypeError(`Expected \`${name}\` to be a finite ${integer ? 'integer' : 'number'} >= 0, got \`${String(value)}\``);
  }
  return v;
}

/**
 * Fills in the server defaults (port 0 picks a free one; no latency, no faults, memory only)
 * and rejects values that make no sense (programmer errors). `integerPort` refuses a
 * fractional port up front, as the OUTSCALE emulator always has.
 */
export function resolveServerOptions(options: ServerOptions, { integerPort = false } = {}): ResolvedServerOptions {
  const failRate = nonNegative('failRate', options.failRate, 0);
  if (failRate > 1) throw new TypeError(`Expected \`failRate\` to be within 0..1, got \`${failRate}\``);
  return {
    port: nonNegative('port', options.port, 0, integerPort),
    dataDir: options.dataDir,
    latencyMs: nonNegative('latencyMs', options.latencyMs, 0),
    failRate,
    seed: options.seed,
  };
}
