/**
 * The conformance suite of the adapter contract (Terraform's statemgr.TestFull): one
 * vitest `describe` of the contract's promises that every adapter passes, the fake in unit
 * tests (providers/fake/conformance.test.ts) and each real adapter against its emulator
 * (`conformance.integration.test.ts` in each provider folder). The promises are checked
 * against the provider's own truth (the emulator's store), never only the adapter's word.
 *
 * The checks themselves are in conformance-checks.ts. This file is test code: it imports
 * vitest, and nothing outside tests imports it.
 */
import { afterAll, describe, it, onTestFinished } from 'vitest';
import type { Attributes, DesiredKey } from '../model/desired.js';
import type { Secret } from '../model/secret.js';
import { CONFORMANCE_CHECKS } from './conformance-checks.js';
import type { KindSpec, ProviderAdapter } from './contract.js';

/** What a failing create goes through instead of the harness's adapter and key. */
export interface FailingCreate {
  readonly adapter?: ProviderAdapter;
  readonly key?: DesiredKey;
  /** After the create: whether the arranged failure really struck (else the check proves nothing). */
  readonly struck?: () => boolean;
}

/** What a provider's test supplies so the suite can exercise its adapter. */
export interface ConformanceHarness {
  /** The kind under test's static metadata (computed and sensitive names are checked). */
  readonly spec: KindSpec;
  /** A configured adapter; the suite closes it when the test ends. */
  adapter(): Promise<ProviderAdapter>;
  /**
   * A declared key valid for the adapter. Without `sameScopeAs`, in a scope (owner) no
   * other call returned, so tests do not share quota; with it, another key of that scope.
   */
  newKey(sameScopeAs?: DesiredKey): DesiredKey | Promise<DesiredKey>;
  /** The passphrase create gets for `key`. @default null */
  passphrase?(key: DesiredKey): Secret | null;
  /** Ids of every live key in `key`'s scope, read from the provider without the adapter under test. */
  truth(key: DesiredKey): Promise<readonly string[]>;
  /**
   * Arranges a create of `key` that the provider refuses, at best after the adapter
   * journalled it: fill the key's quota or arm a fault and return nothing, or return what
   * the create should use instead, an `adapter` on an emulator that fails every request
   * (the harness closes it), or a variant of the `key` the provider refuses (its `truth`
   * scope must be `key`'s). Absent: the all-or-nothing check is skipped.
   */
  failingCreate?(key: DesiredKey): Promise<FailingCreate | undefined>;
  /**
   * Arranges that the answer to the next create of `key` is lost after the provider acted
   * (a proxy that hangs up, an injected timeout), returning what the create goes through
   * (an adapter returned is the harness's to close).
   * Absent: the lost-answer check is skipped.
   */
  loseCreateAnswer?(key: DesiredKey): Promise<FailingCreate | undefined>;
  /** The attributes a live key of `key` reports (the kind may name them differently). @default key.attributes */
  expectedAttributes?(key: DesiredKey): Attributes;
  /** `key` with updatable attributes changed, and the changes. Absent: the update check is skipped. */
  updateCase?(key: DesiredKey): { readonly key: DesiredKey; readonly changes: Attributes };
  /** False for a kind whose adapter cannot check a credential (no `verify`): the verify check is skipped. @default true */
  readonly verifies?: boolean;
  /** Keys the paging check creates in one scope (its quota must allow them). @default 3 */
  readonly keysPerScope?: number;
  /** Per-test timeout, for adapters that generate keys or poll. @default vitest's */
  readonly timeoutMs?: number;
  /** Runs after the suite (stop emulators). */
  cleanup?(): Promise<void>;
}

/** Declares `describe('<name> conforms to the adapter contract')` with one test per promise. */
export function describeAdapterConformance(name: string, harness: ConformanceHarness): void {
  describe(`${name} conforms to the adapter contract`, () => {
    afterAll(async () => {
      await harness.cleanup?.();
    });
    for (const check of CONFORMANCE_CHECKS) {
      const applies = check.applies?.(harness) ?? true;
      it.skipIf(!applies)(check.name, { timeout: harness.timeoutMs }, async () => {
        const adapter = await harness.adapter();
        onTestFinished(() => adapter.close());
        await check.run(harness, adapter);
      });
    }
  });
}

export { CONFORMANCE_CHECKS, type ConformanceCheck } from './conformance-checks.js';
