/**
 * src/providers/fake: an in-memory provider for tests (Terraform's MockProvider, the CDK's
 * fake CloudFormation). It is never in the default registry; tests build one with
 * `createFakeProvider(cloud)` and inject it.
 *
 * Spec of the fake cloud and adapter (each point is tested in this folder, and the
 * conformance suite runs against it):
 * - Provider type `fake`, block settings `page_size`, `max_concurrency` and
 *   `requests_per_second` (all optional) only, no credentials.
 * - One kind, `fake.token`: owner = `owner_name` (replaces on change), `label` (updates in
 *   place, unique per owner), computed `token_id`, sensitive `token`, 5 per owner.
 * - Ids are `ftk-NNNNNN`, sorted in creation order, reserved before the create, so
 *   `recordIntent` receives the id. Each token's key name is kept as its `marker`.
 * - `list` reads page after page (2 keys per page unless `page_size` or the cloud say
 *   otherwise) and returns no secret. Each page is one `list` call in `cloud.calls`.
 * - `create` awaits `recordIntent`, then creates; it is all-or-nothing: a lost answer is
 *   cleaned up before the throw (except an injected `after-mutation-crash`).
 * - `delete` of a missing token succeeds; `update` changes only `label`.
 * - `cloud.failNext(op, { when, error, skip })` fails a later call of `list`, `create`,
 *   `update` or `delete`: `when` is `before` (nothing changes), `after-mutation-lost-answer`
 *   (the cloud acts, the answer is lost; create cleans up) or `after-mutation-crash` (as if
 *   the run died after the cloud acted: the key stays); `error` is `transient` (retryable)
 *   or `fatal`; `skip` lets that many calls through first. `cloud.latencyMs` delays every
 *   call, and an aborted signal stops it.
 * - `cloud.keys(owner?)`, `cloud.seed(...)`, `cloud.calls`, `cloud.issuedSecrets` and
 *   `cloud.failuresLeft(op)` let tests read and set the truth behind the adapter.
 */
import { FakeAdapter } from './adapter.js';
import type { FakeCloud } from './cloud.js';
import { fakeTokenModule, validateFake } from './token.js';
import type { ProviderModule } from '../module.js';
import { limitsSchemaProperties, readLimits, type LimitDefaults } from '../shared/limits.js';
import { settingsReader } from '../shared/settings-reader.js';

/** The fake's max_concurrency default (apply's former per-provider cap); it is in memory, so no rate limit unless set. */
const FAKE_LIMITS: LimitDefaults = { maxConcurrency: 4 };

export { FakeAdapter } from './adapter.js';
export {
  FakeCloud,
  InjectedFailureError,
  type FailureTiming,
  type FakeCloudOptions,
  type FakeCreateInput,
  type FakeListPageRequest,
  type FakeOperation,
  type FakePage,
  type FakeStoredKey,
  type InjectedFailure,
} from './cloud.js';
export { FAKE_TOKEN_KIND, FAKE_TOKENS_PER_OWNER, fakeToken, fakeTokenKey, fakeTokenModule, validateFake, type FakeTokenKeyInput } from './token.js';

/** Options of `createFakeProvider`. */
export interface FakeProviderOptions {
  /** Called with every adapter the module makes, so a test can reach it. */
  readonly onAdapter?: (adapter: FakeAdapter) => void;
}

/** The fake provider's module; every adapter it makes works on `cloud`. */
export function createFakeProvider(cloud: FakeCloud, options: FakeProviderOptions = {}): ProviderModule {
  return {
    type: 'fake',
    displayName: 'Fake',
    blockSchema: {
      properties: {
        type: true,
        page_size: { type: 'integer', minimum: 1, maximum: 100, description: 'Tokens per list page.' },
        ...limitsSchemaProperties('fake', FAKE_LIMITS),
      },
      additionalProperties: false,
    },
    kinds: [fakeTokenModule],
    validate: validateFake,
    limits: (block) => readLimits(settingsReader(block.settings), FAKE_LIMITS, true),
    createAdapter: async () => {
      const adapter = new FakeAdapter(cloud);
      options.onAdapter?.(adapter);
      return adapter;
    },
  };
}

/** Settings of `configuredFakeAdapter`. */
export interface ConfiguredFakeOptions {
  /** Provider block name, LiveKey.provider. @default 'fake' */
  readonly name?: string;
  /** The block's `page_size`. @default the cloud's page size */
  readonly pageSize?: number;
}

/** A `FakeAdapter` on `cloud`, already configured as block `name`: for tests that need no config file. */
export async function configuredFakeAdapter(cloud: FakeCloud, options: ConfiguredFakeOptions = {}): Promise<FakeAdapter> {
  const adapter = new FakeAdapter(cloud);
  const settings = options.pageSize !== undefined ? { page_size: options.pageSize } : {};
  await adapter.configure({ block: { name: options.name ?? 'fake', type: 'fake', settings }, baseDir: '.', env: {} });
  return adapter;
}
