/**
 * The conformance suite for `dataos.api_key` against the Heimdall emulator on loopback,
 * one user per scope. The emulator lists each token with its secret (`listRevealsToken`,
 * as the CLI suggests Heimdall does), so the no-key-material check has teeth here. Heimdall
 * has no quota: the failing create is a lifetime Heimdall refuses, after the adapter
 * listed the user's tokens and journalled the name. A lost answer is a proxy hanging up
 * after the token's POST was served.
 */
import { tmpdir } from 'node:os';
import { startDataosEmulator, type DataosEmulator } from '../../emulators/dataos/index.js';
import type { DesiredKey } from '../../model/desired.js';
import { onTestFinished } from 'vitest';
import { describeAdapterConformance, type ConformanceHarness } from '../conformance.js';
import { startLossyProxy } from '../conformance-proxy.js';
import { dataosApiKeyKind } from './kind.js';
import { DataosAdapter } from './adapter.js';

let running: Promise<DataosEmulator> | undefined;
const emulator = (): Promise<DataosEmulator> => (running ??= startDataosEmulator({ autoCreateUsers: true, listRevealsToken: true }));

/** An adapter on `emu`, or on `url` (a proxy in front of it). */
async function adapterOn(emu: DataosEmulator, url = emu.url): Promise<DataosAdapter> {
  const a = new DataosAdapter({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
  await a.configure({
    block: { name: 'dataos', type: 'dataos', settings: { endpoint: 'sandbox' } },
    baseDir: tmpdir(),
    env: {},
    sandbox: { url, credentials: { token: emu.bootstrap.token, user_id: emu.bootstrap.userId } },
  });
  return a;
}

let seq = 0;
const unique = (): string => `${Date.now().toString(36)}${(seq++).toString(36)}`;

function apiKey(name: string, user: string, duration = '48h'): DesiredKey {
  return {
    name,
    kind: 'dataos.api_key',
    provider: 'dataos',
    owner: user,
    attributes: { token_name: name, duration, user },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

const harness: ConformanceHarness = {
  spec: dataosApiKeyKind.spec,
  adapter: async () => adapterOn(await emulator()),
  loseCreateAnswer: async () => {
    const emu = await emulator();
    const proxy = await startLossyProxy(emu.url);
    onTestFinished(() => proxy.close());
    proxy.loseNextAnswer((method, path) => method === 'POST' && /\/users\/[^/]+\/tokens$/.test(path));
    const a = await adapterOn(emu, proxy.url);
    onTestFinished(() => a.close());
    return { adapter: a, struck: () => proxy.lost === 1 };
  },
  newKey: (same?: DesiredKey) => apiKey(`tok-${unique()}`, same?.owner ?? `cf-${unique()}`),
  truth: async (key) => (await emulator()).listTokens(key.owner).map((t) => `${key.owner}/${t.name}`),
  failingCreate: async (key) => ({ key: apiKey(key.name, key.owner, '-5h') }),
  // The token's name and user are reported as the live name and the resolved user.
  expectedAttributes: (key) => ({ live_name: key.attributes['token_name'] ?? null, user_id: key.owner }),
  cleanup: async () => {
    await (await running)?.close();
  },
};

describeAdapterConformance('dataos.api_key', harness);
