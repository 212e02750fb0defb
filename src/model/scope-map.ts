/**
 * A map keyed by scope (provider, kind, owner) through nested maps, so a look-up builds no
 * `provider|kind|owner` string to hash: planning 10,000 keys looks scopes up some 30,000
 * times, and those strings were the larger part of the cost.
 */
import type { Scope } from './live.js';

export class ScopeMap<T> {
  readonly #byProvider = new Map<string, Map<string, Map<string, T>>>();

  get(scope: Scope): T | undefined {
    return this.#byProvider.get(scope.provider)?.get(scope.kind)?.get(scope.owner);
  }

  set(scope: Scope, value: T): void {
    let byKind = this.#byProvider.get(scope.provider);
    if (byKind === undefined) this.#byProvider.set(scope.provider, (byKind = new Map()));
    let byOwner = byKind.get(scope.kind);
    if (byOwner === undefined) byKind.set(scope.kind, (byOwner = new Map()));
    byOwner.set(scope.owner, value);
  }

  /** Every value, in the order their scopes were first set. */
  *values(): IterableIterator<T> {
    for (const byKind of this.#byProvider.values()) for (const byOwner of byKind.values()) yield* byOwner.values();
  }
}
