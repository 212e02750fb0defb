/**
 * When keys created through an emulator start to authenticate: the recorded field, the
 * log reason, the sandbox's numeric knobs, and the sandbox really starting an emulator
 * whose new keys never authenticate (here OUTSCALE's, through the adapter).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { outscaleProvider } from '../../providers/outscale/provider.js';
import { CALLER_OWNER } from '../../providers/outscale/owner.js';
import { authenticatesFromField, newKeyAuthFromExtra, notYetAuthenticating, resolveNewKeyAuth } from './new-key-auth.js';

describe('new-key authentication options', () => {
  it('records nothing by default, a time with a delay, and null for never', () => {
    expect(authenticatesFromField(resolveNewKeyAuth({}), 1_000)).toEqual({});
    expect(authenticatesFromField(resolveNewKeyAuth({ newKeyAuthDelayMs: 500 }), 1_000)).toEqual({ authenticatesFrom: 1_500 });
    expect(authenticatesFromField(resolveNewKeyAuth({ newKeyAuthDelayMs: 500, newKeysNeverAuthenticate: true }), 1_000)).toEqual({ authenticatesFrom: null });
    expect(() => resolveNewKeyAuth({ newKeyAuthDelayMs: -1 })).toThrow('Expected `newKeyAuthDelayMs` to be a finite number >= 0, got `-1`');
  });

  it('says why a key does not authenticate yet, until its time has come', () => {
    expect(notYetAuthenticating(undefined, 5)).toBeUndefined();
    expect(notYetAuthenticating(1_500, 1_000)).toBe('the new key is still propagating (authenticates 500 ms from now)');
    expect(notYetAuthenticating(1_500, 1_500)).toBeUndefined();
    expect(notYetAuthenticating(null, Number.MAX_SAFE_INTEGER)).toContain('never authenticate');
  });

  it('reads the sandbox knobs newKeyAuthDelayMs and newKeysNeverAuthenticate (non-zero = on)', () => {
    expect(newKeyAuthFromExtra(undefined)).toEqual({});
    expect(newKeyAuthFromExtra({ bdsFailWorkRequests: 1 })).toEqual({});
    expect(newKeyAuthFromExtra({ newKeyAuthDelayMs: 3000, newKeysNeverAuthenticate: 0 })).toEqual({ newKeyAuthDelayMs: 3000, newKeysNeverAuthenticate: false });
    expect(newKeyAuthFromExtra({ newKeysNeverAuthenticate: 1 })).toEqual({ newKeysNeverAuthenticate: true });
  });

  it('reaches an emulator the sandbox starts: its new keys are refused while the old ones work', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyplan-newkeyauth-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const service = await outscaleProvider.startSandbox!({ dataDir, port: 0, latencyMs: 0, failRate: 0, extra: { newKeysNeverAuthenticate: 1 } });
    onTestFinished(() => service.close());
    const adapter = await outscaleProvider.createAdapter();
    await adapter.configure({
      block: { name: 'osc', type: 'outscale', settings: { endpoint: 'sandbox' } },
      baseDir: dataDir,
      env: {},
      sandbox: service.endpoint,
    });
    onTestFinished(() => adapter.close());
    const key = {
      name: 'ci',
      kind: 'outscale.access_key',
      provider: 'osc',
      owner: CALLER_OWNER,
      attributes: { user_name: null, expires_in: null, state: 'ACTIVE' },
      passphrase: { none: true } as const,
      outputs: [{ type: 'file', path: 'x.json' }],
      dependsOn: [],
      rotation: { overlapMs: 0, requireOverlap: false },
    };
    const made = await adapter.create({ key, passphrase: null, token: 't', recordIntent: async () => undefined });
    expect((await adapter.verify!({ key, live: made.live, material: made.material, passphrase: null })).outcome).toBe('rejected');
    expect((await adapter.list({ kind: key.kind, owner: CALLER_OWNER })).keys.map((k) => k.id)).toContain(made.live.id);
  });
});
