/**
 * `verify` of the DataOS adapter against the Heimdall emulator: `authorize` with the new
 * token accepts it at once, refuses it (401 in the answer's body) while the emulator's
 * propagation delay lasts and accepts it once its clock passed the delay, and keeps
 * refusing a token created to never authenticate. Reasons never hold the token.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startDataosEmulator, type DataosEmulator, type DataosEmulatorOptions } from '../../emulators/dataos/index.js';
import type { DesiredKey } from '../../model/desired.js';
import type { VerifyRequest } from '../contract.js';
import { DataosAdapter } from './adapter.js';

const running: { emu: DataosEmulator; adapter: DataosAdapter }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.adapter.close();
    await r.emu.close();
  }
});

async function setup(options: DataosEmulatorOptions): Promise<{ emu: DataosEmulator; adapter: DataosAdapter; advance: (ms: number) => void }> {
  let offset = 0;
  const emu = await startDataosEmulator({ autoCreateUsers: true, now: () => Date.now() + offset, ...options });
  const adapter = new DataosAdapter({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
  await adapter.configure({
    block: { name: 'dataos', type: 'dataos', settings: { url: emu.url, token_env: 'DATAOS_APIKEY', auth_header: 'apikey' } },
    baseDir: tmpdir(),
    env: { DATAOS_APIKEY: emu.bootstrap.token },
  });
  running.push({ emu, adapter });
  return { emu, adapter, advance: (ms) => void (offset += ms) };
}

function desired(user: string): DesiredKey {
  return {
    name: 'presto',
    kind: 'dataos.api_key',
    provider: 'dataos',
    owner: user,
    attributes: { token_name: 'presto', duration: '48h', user },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

async function created(adapter: DataosAdapter, key: DesiredKey): Promise<VerifyRequest> {
  const made = await adapter.create({ key, passphrase: null, token: 'tok', recordIntent: async () => undefined });
  return { key, live: made.live, material: made.material, passphrase: null };
}

describe('DataosAdapter.verify', () => {
  it('authenticates a new token through authorize, as the user it was made for', async () => {
    const { emu, adapter } = await setup({});
    const req = await created(adapter, desired('etl-bot'));
    const before = emu.requestLog.length;
    expect(await adapter.verify(req)).toEqual({ outcome: 'authenticated' });
    expect(emu.requestLog.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /heimdall/api/v1/authorize 200']);
  });

  it('is rejected while the new token propagates, then authenticated', async () => {
    const { adapter, advance } = await setup({ newKeyAuthDelayMs: 30_000 });
    const req = await created(adapter, desired('etl-bot'));
    const early = await adapter.verify(req);
    expect(early).toEqual({ outcome: 'rejected', reason: expect.stringMatching(/^authorize with the new token: 401/) });
    expect(JSON.stringify(early)).not.toContain(req.material.file.reveal());
    advance(31_000);
    expect(await adapter.verify(req)).toEqual({ outcome: 'authenticated' });
  });

  it('keeps rejecting a token created to never authenticate, whether authorize answers in the body or with a 401', async () => {
    for (const invalidAuthorize of ['body', 'status'] as const) {
      const { adapter, advance } = await setup({ newKeysNeverAuthenticate: true, invalidAuthorize });
      const req = await created(adapter, desired('etl-bot'));
      expect((await adapter.verify(req)).outcome).toBe('rejected');
      advance(3_600_000);
      expect(await adapter.verify(req)).toEqual({ outcome: 'rejected', reason: expect.stringMatching(/^authorize with the new token: 401/) });
    }
  });
});
