/**
 * The conformance suite for `outscale.access_key` against the OUTSCALE emulator on
 * loopback, with EIM users (one per scope). The provider's truth is the emulator's
 * store; a failing create is a full quota (10 keys per user, 10005); a lost answer is a
 * proxy hanging up after CreateAccessKey was served; the update turns a key INACTIVE.
 */
import { startOutscaleEmulator, type OutscaleEmulator } from '../../emulators/outscale/index.js';
import type { DesiredKey } from '../../model/desired.js';
import { onTestFinished } from 'vitest';
import { describeAdapterConformance } from '../conformance.js';
import { startLossyProxy } from '../conformance-proxy.js';
import { accessKeyKind } from './kind.js';
import { OutscaleAdapter } from './adapter.js';

const KEY_LIMIT = 10;

let running: Promise<OutscaleEmulator> | undefined;
const emulator = (): Promise<OutscaleEmulator> => (running ??= startOutscaleEmulator({ autoCreateUsers: true, keyLimit: KEY_LIMIT }));

/** An adapter on the emulator, or on `url` (a proxy in front of it). */
async function adapter(url?: string): Promise<OutscaleAdapter> {
  const emu = await emulator();
  const a = new OutscaleAdapter({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
  const { accessKey: access_key, secretKey: secret_key, region } = emu.account;
  await a.configure({
    block: { name: 'osc', type: 'outscale', settings: { endpoint: 'sandbox' } },
    baseDir: '.',
    env: {},
    sandbox: { url: url ?? emu.url, credentials: { access_key, secret_key, region } },
  });
  return a;
}

let seq = 0;
const unique = (): string => `${Date.now().toString(36)}${(seq++).toString(36)}`;

function accessKey(name: string, user: string, state = 'ACTIVE'): DesiredKey {
  return {
    name,
    kind: 'outscale.access_key',
    provider: 'osc',
    owner: user,
    attributes: { user_name: user, expires_in: null, state },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

describeAdapterConformance('outscale.access_key', {
  spec: accessKeyKind.spec,
  adapter: () => adapter(),
  newKey: (same?: DesiredKey) => accessKey(`osc-${unique()}`, same?.owner ?? `cf-user-${unique()}`),
  truth: async (key) => (await emulator()).listAccessKeys(key.owner).map((k) => k.accessKeyId),
  failingCreate: async (key) => {
    const emu = await emulator();
    emu.addUser(key.owner);
    while (emu.listAccessKeys(key.owner).length < KEY_LIMIT) emu.issueKey(key.owner);
    return undefined;
  },
  loseCreateAnswer: async () => {
    const proxy = await startLossyProxy((await emulator()).url);
    onTestFinished(() => proxy.close());
    proxy.loseNextAnswer((method, path) => method === 'POST' && path.endsWith('/CreateAccessKey'));
    const a = await adapter(proxy.url);
    onTestFinished(() => a.close());
    return { adapter: a, struck: () => proxy.lost === 1 };
  },
  // The user is the scope (owner); a live key reports its state and lifetime.
  expectedAttributes: (key) => ({ state: key.attributes['state'] ?? null, expires_in: key.attributes['expires_in'] ?? null }),
  updateCase: (key) => ({ key: accessKey(key.name, key.owner, 'INACTIVE'), changes: { state: 'INACTIVE' } }),
  cleanup: async () => {
    await (await running)?.close();
  },
});
