/**
 * Throttling and fault injection. The real limiters (§A4, API-Throttling page) run in
 * sequence: whole platform per second (503 code 6), then per account (429 code 24), then
 * per account and call (429 code 25). Injected faults draw from a seeded generator so a
 * run with `failRate` is repeatable.
 */
import { seededRandom } from '../oci/faults.js';
import { accountThrottled, callThrottled, OscApiError, platformThrottled } from './errors.js';
import type { OscErrorChoice, ThrottleLimits } from './options.js';

/** Decides, per request, whether to answer with an injected 429, 503 or 500. */
export class FaultInjector {
  readonly #rate: number;
  readonly #random: () => number;
  readonly #internal: OscErrorChoice;

  constructor(rate: number, seed: number | undefined, internal: OscErrorChoice) {
    this.#rate = rate;
    this.#random = seed === undefined ? Math.random : seededRandom(seed);
    this.#internal = internal;
  }

  /** The injected error for this request, or undefined to serve it normally. */
  next(): OscApiError | undefined {
    if (this.#rate <= 0) return undefined;
    // Draw both numbers every time so the sequence depends only on the request count.
    const hit = this.#random() < this.#rate;
    const pick = this.#random();
    if (!hit) return undefined;
    if (pick < 1 / 3) return accountThrottled('injected fault');
    if (pick < 2 / 3) return platformThrottled('injected fault');
    return new OscApiError(this.#internal, '', 'injected fault');
  }
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
