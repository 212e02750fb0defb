/**
 * `max_concurrency` and `requests_per_second`, the two settings every provider block has:
 * how many calls keyplan has in flight against the provider at once, and how many it
 * starts per second. One limiter per block (refresh/limiter.ts) paces refresh's list
 * calls and apply's calls alike; apply also runs at most `max_concurrency` changes of the
 * block at once (apply/dag.ts). The defaults are each vendor's, in its settings.ts.
 */
import type { JsonSchema, ProviderLimits } from '../module.js';
import type { SettingsReader } from './settings-reader.js';

export type { ProviderLimits } from '../module.js';

/** A vendor's defaults (each settings.ts says why they are what they are). */
export interface LimitDefaults {
  readonly maxConcurrency: number;
  /** Undefined: no rate limit unless the block sets one. */
  readonly requestsPerSecond?: number;
}

/** What a block gets when its provider module says nothing (a test provider): apply's former per-provider cap, no rate limit. */
export const GENERIC_LIMITS: ProviderLimits = { maxConcurrency: 4 };

/** Largest `max_concurrency` accepted: more sockets than that to one API is a mistake, not a tuning. */
export const MAX_CONCURRENCY_LIMIT = 256;
/** Largest `requests_per_second` accepted. */
export const MAX_REQUESTS_PER_SECOND = 10_000;

/** The two settings' schema properties, with `vendor`'s defaults in their descriptions. */
export function limitsSchemaProperties(vendor: string, d: LimitDefaults): Record<string, JsonSchema> {
  return {
    max_concurrency: {
      title: 'Concurrent calls',
      description: `How many calls keyplan has in flight against this ${vendor} block at once (refresh reads, apply changes); \`--parallelism\` still caps apply overall. Default: ${d.maxConcurrency}.`,
      type: 'integer',
      minimum: 1,
      maximum: MAX_CONCURRENCY_LIMIT,
      errorMessage: `must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}`,
    },
    requests_per_second: {
      title: 'Calls per second',
      description: `How many calls keyplan starts per second against this ${vendor} block, over any one-second window, so it stays under the API's throttling (a call is a list, a create, a delete…; its retries and polls are not counted). ${d.requestsPerSecond === undefined ? 'Default: none.' : `Default: ${d.requestsPerSecond}; none when the endpoint is \`sandbox\` or a URL on 127.0.0.1 or localhost (an emulator).`}`,
      type: 'number',
      exclusiveMinimum: 0,
      maximum: MAX_REQUESTS_PER_SECOND,
      errorMessage: `must be a number above 0 and at most ${MAX_REQUESTS_PER_SECOND} (calls started per second)`,
    },
  };
}

/**
 * Reads both settings through `r` (a bad value is a problem named after its setting),
 * falling back to `defaults`. `local` (the sandbox or an emulator on this machine) drops
 * the default rate limit: it protects the vendor's API, and an emulator is not it.
 */
export function readLimits(r: SettingsReader, defaults: LimitDefaults, local: boolean): ProviderLimits {
  const maxConcurrency = r.int('max_concurrency', 1, MAX_CONCURRENCY_LIMIT) ?? defaults.maxConcurrency;
  const requestsPerSecond = r.positive('requests_per_second', MAX_REQUESTS_PER_SECOND) ?? (local ? undefined : defaults.requestsPerSecond);
  return { maxConcurrency, ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }) };
}

/** Whether `url` (a URL or a bare host) points at this machine: 127.0.0.1, [::1] or localhost. */
export function isLoopbackUrl(url: string): boolean {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  try {
    const host = new URL(withScheme).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}
