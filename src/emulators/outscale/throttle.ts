/**
 * Throttling and fault injection. The real limiters (§A4, API-Throttling page) run in
 * sequence: whole platform per second (503 code 6), then per account (429 code 24), then
 * per account and call (429 code 25). Injected faults draw from a seeded generator so a
 * run with `failRate` is repeatable (shared/faults).
 */
import { accountThrottled, callThrottled, OscApiError, platformThrottled } from './errors.js';
import type { OscErrorChoice, ThrottleLimits } from './options.js';

/**
 * What an injected fault answers, by its draw in [0, 1) (shared/faults picks the requests):
 * 429 code 24, 503 code 6 or the configured internal error, in equal shares.
 */
export function injectedFault(internal: OscErrorChoice): (draw: number) => OscApiError {
  return (draw) => {
    if (draw < 1 / 3) return accountThrottled('injected fault');
    if (draw < 2 / 3) return platformThrottled('injected fault');
    return new OscApiError(internal, '', 'injected fault');
  };
}

/** Fixed one-second windows per limiter key. */
export class RateLimiters {
  readonly #limits: ThrottleLimits;
  readonly #windows = new Map<string, { second: number; count: number }>();

  constructor(limits: ThrottleLimits) {
    this.#limits = limits;
  }

  #over(key: string, limit: number | undefined, now: number): boolean {
    if (limit === undefined) return false;
    const second = Math.floor(now / 1000);
    const w = this.#windows.get(key);
    if (w === undefined || w.second !== second) {
      this.#windows.set(key, { second, count: 1 });
      return limit < 1;
    }
    w.count += 1;
    return w.count > limit;
  }

  /** Throws 503 code 6 beyond the platform limit. */
  platform(now: number): void {
    if (this.#over('platform', this.#limits.platformPerSecond, now)) throw platformThrottled('platform limit reached');
  }

  /** Throws 429 code 24 or 25 beyond the account's or the account-and-call limit. */
  account(accountId: string, action: string, now: number): void {
    if (this.#over(`account:${accountId}`, this.#limits.accountPerSecond, now)) throw accountThrottled('account limit reached');
    if (this.#over(`call:${accountId}:${action}`, this.#limits.callPerSecond, now)) throw callThrottled(`${action} limit reached`);
  }
}
