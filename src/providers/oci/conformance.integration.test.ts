/**
 * The conformance suite for both OCI kinds, against one OCI emulator (Identity and BDS
 * routes) on loopback. The provider's truth is the emulator's store; a failing create is
 * a full quota (3 keys per user), which for BDS ends in a FAILED work request; a lost
 * answer is a proxy hanging up after the emulator served the create's POST.
 */
import { tmpdir } from 'node:os';
import * as common from 'oci-common';
import { startOciEmulator, type OciEmulator } from '../../emulators/oci/index.js';
import type { DesiredKey } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import { onTestFinished } from 'vitest';
import { describeAdapterConformance, type FailingCreate } from '../conformance.js';
import { startLossyProxy } from '../conformance-proxy.js';
import { bdsApiKeyKind } from './bds/kind.js';
import { ociApiKeyKind } from './kind-api-key.js';
import { OciAdapter } from './adapter.js';

const PASS = 'conformance-Passphrase-3b7e';
const KEY_LIMIT = 3;

let running: Promise<OciEmulator> | undefined;
/** One emulator for both kinds, started on first use. */
const emulator = (): Promise<OciEmulator> =>
  (running ??= startOciEmulator({ autoCreateUsers: true, bds: { autoCreateClusters: true, defaultPageSize: 2, workRequestPolls: 1 } }));

/** An adapter on the emulator, or on `url` (a proxy in front of it). */
async function adapter(url?: string): Promise<OciAdapter> {
  const emu = await emulator();
  const a = new OciAdapter({
    pollIntervalMs: 20,
    maxPollIntervalMs: 50,
    activeTimeoutMs: 5_000,
    retryConfiguration: common.NoRetryConfigurationDetails,
    bds: { pollIntervalMs: 5, maxPollIntervalMs: 20, workRequestTimeoutMs: 5_000 },
  });
  await a.configure({
    block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox' } },
    baseDir: tmpdir(),
    env: {},
    sandbox: { url: url ?? emu.url, credentials: { ...emu.admin } },
  });
  return a;
}

let seq = 0;
const unique = (): string => `${Date.now().toString(36)}${(seq++).toString(36)}`;

/** Gives `user` keys behind the adapter's back until it holds as many as OCI allows. */
async function fillQuota(user: string): Promise<void> {
  const emu = await emulator();
  while (emu.listKeys(user).length < KEY_LIMIT) await emu.addUser(user);
}

/** An adapter through a proxy that loses the answer to the next POST whose path matches. */
async function losingAnswer(path: RegExp): Promise<FailingCreate> {
  const proxy = await startLossyProxy((await emulator()).url);
  onTestFinished(() => proxy.close());
  proxy.loseNextAnswer((method, p) => method === 'POST' && path.test(p));
  const a = await adapter(proxy.url);
  onTestFinished(() => a.close());
  return { adapter: a, struck: () => proxy.lost === 1 };
}

const shared = { adapter: () => adapter(), passphrase: () => new Secret(PASS), timeoutMs: 30_000 };

describeAdapterConformance('oci.api_key', {
  ...shared,
  spec: ociApiKeyKind.spec,
  newKey: (same?: DesiredKey): DesiredKey => {
    const user = same?.owner ?? `ocid1.user.oc1..cf${unique()}`;
    return {
      name: `api-${unique()}`,
      kind: 'oci.api_key',
      provider: 'oci',
      owner: user,
      attributes: { user, bits: 2048 },
      passphrase: { env: 'PASS' },
      outputs: [],
      dependsOn: [],
      rotation: { overlapMs: 0, requireOverlap: false },
    };
  },
  truth: async (key) => (await emulator()).listKeys(key.owner).map((k) => k.fingerprint),
  loseCreateAnswer: async () => losingAnswer(/^\/20160918\/users\/[^/]+\/apiKeys/),
  failingCreate: async (key) => {
    await fillQuota(key.owner);
    return undefined;
  },
});

describeAdapterConformance('oci.bds_api_key', {
  ...shared,
  // The suites run one after the other: the emulator stops after the second.
  cleanup: async () => {
    await (await running)?.close();
  },
  spec: bdsApiKeyKind.spec,
  // Its keys declare no test_connection here: without one BDS has nothing to authenticate with, and verify answers authenticated.
  verifies: false,
  newKey: (same?: DesiredKey): DesiredKey => {
    const cluster = same?.owner ?? `ocid1.bigdataservice.oc1.iad.cf${unique()}`;
    const user = `ocid1.user.oc1..cfb${unique()}`;
    return {
      name: `bds-${unique()}`,
      kind: 'oci.bds_api_key',
      provider: 'oci',
      owner: cluster,
      attributes: { cluster, alias: `a${unique()}`, user },
      passphrase: { env: 'PASS' },
      outputs: [],
      dependsOn: [],
      rotation: { overlapMs: 0, requireOverlap: false },
    };
  },
  truth: async (key) => (await emulator()).listBdsKeys(key.owner).map((k) => k.id),
  loseCreateAnswer: async () => losingAnswer(/^\/20190531\/bdsInstances\/[^/]+\/apiKeys/),
  failingCreate: async (key) => {
    await fillQuota(String(key.attributes['user']));
    return undefined;
  },
});
