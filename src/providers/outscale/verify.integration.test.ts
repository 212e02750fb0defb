/**
 * `verify` of the OUTSCALE adapter against the emulator: ReadAccessKeys signed with the
 * new AK/SK authenticates at once, is refused with 401 code 1 while the emulator's
 * propagation delay lasts (its clock moved past it, the key authenticates), and keeps
 * being refused for a key created to never authenticate, without locking the account.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DesiredKey } from '../../model/desired.js';
import { startOutscaleEmulator, type OutscaleEmulator, type OutscaleEmulatorOptions } from '../../emulators/outscale/index.js';
import type { VerifyRequest } from '../contract.js';
import { OutscaleAdapter } from './adapter.js';
import { CALLER_OWNER } from './owner.js';

const running: { emu: OutscaleEmulator; adapter: OutscaleAdapter }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.adapter.close();
    await r.emu.close();
  }
});

/** An emulator whose clock the test moves, and an adapter configured on its sandbox credentials. */
async function setup(options: OutscaleEmulatorOptions): Promise<{ emu: OutscaleEmulator; adapter: OutscaleAdapter; advance: (ms: number) => void }> {
  let offset = 0;
  const emu = await startOutscaleEmulator({ autoCreateUsers: true, now: () => Date.now() + offset, ...options });
  const adapter = new OutscaleAdapter({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
  const { accessKey, secretKey, region } = emu.account;
  await adapter.configure({
    block: { name: 'osc', type: 'outscale', settings: { endpoint: 'sandbox' } },
    baseDir: '/nonexistent',
    env: {},
    sandbox: { url: emu.url, credentials: { access_key: accessKey, secret_key: secretKey, region } },
  });
  running.push({ emu, adapter });
  return { emu, adapter, advance: (ms) => void (offset += ms) };
}

function key(user: string | null): DesiredKey {
  return {
    name: 'ci',
    kind: 'outscale.access_key',
    provider: 'osc',
    owner: user ?? CALLER_OWNER,
    attributes: { user_name: user, expires_in: null, state: 'ACTIVE' },
    passphrase: { none: true },
    outputs: [{ type: 'file', path: 'x.json' }],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

async function created(adapter: OutscaleAdapter, k: DesiredKey): Promise<VerifyRequest> {
  const made = await adapter.create({ key: k, passphrase: null, token: 'tok', recordIntent: async () => undefined });
  return { key: k, live: made.live, material: made.material, passphrase: null };
}

describe('OutscaleAdapter.verify', () => {
  it('authenticates a new key of the account and of an EIM user with ReadAccessKeys signed by the key', async () => {
    const { emu, adapter } = await setup({});
    for (const user of [null, 'deployer']) {
      const req = await created(adapter, key(user));
      const before = emu.requestLog.length;
      expect(await adapter.verify(req)).toEqual({ outcome: 'authenticated' });
      expect(emu.requestLog.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual(['/api/v1/ReadAccessKeys 200']);
    }
  });

  it('is rejected with 401 code 1 during the propagation delay, then authenticates', async () => {
    const { adapter, advance } = await setup({ newKeyAuthDelayMs: 60_000 });
    const req = await created(adapter, key(null));
    const early = await adapter.verify(req);
    expect(early).toEqual({ outcome: 'rejected', reason: expect.stringMatching(/^ReadAccessKeys signed with the new key: 401 code 1 \(RequestId \S+\)$/) });
    expect(JSON.stringify(early)).not.toContain(req.material.secrets['secret_key']?.reveal());
    advance(61_000);
    expect(await adapter.verify(req)).toEqual({ outcome: 'authenticated' });
  });

  it('keeps rejecting a key created to never authenticate, and the refusals do not lock the account', async () => {
    const { emu, adapter, advance } = await setup({ newKeysNeverAuthenticate: true, lockoutAfter: 2 });
    const req = await created(adapter, key('deployer'));
    for (let i = 0; i < 4; i++) expect((await adapter.verify(req)).outcome).toBe('rejected');
    advance(200_000); // still within the 5-minute signature skew the adapter's real clock is held to
    expect((await adapter.verify(req)).outcome).toBe('rejected');
    expect(emu.requestLog.at(-1)).toMatchObject({ status: 401, code: '1' });
    // The account's own key still works: no lockout from the new key's refusals.
    expect((await adapter.list({ kind: 'outscale.access_key', owner: 'deployer' })).keys.map((k) => k.id)).toEqual([req.live.id]);
  });
});
