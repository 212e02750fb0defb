/**
 * The OCI adapter against the emulator when things go wrong: keys that stay CREATING,
 * aborts while waiting, upload answers lost on the way back (with and without SDK
 * retries and opc-retry-token replay), and injected 429/500s without the SDK circuit
 * breaker. Each case runs its own emulator with the options it needs.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator, type OciEmulator, type OciEmulatorOptions } from '../../emulators/oci/index.js';
import { ProviderError } from '../../errors/errors.js';
import type { DesiredKey } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { CreateRequest } from '../contract.js';
import { OciAdapter, type OciAdapterOptions } from './adapter.js';

const FAST: OciAdapterOptions = { pollIntervalMs: 20, maxPollIntervalMs: 50, activeTimeoutMs: 5_000 };

async function emulator(options: OciEmulatorOptions): Promise<OciEmulator> {
  const e = await startOciEmulator({ autoCreateUsers: true, ...options });
  onTestFinished(() => e.close());
  return e;
}

/** An adapter on the sandbox credentials of `e`, talking to `url` (a proxy) if given. */
async function adapterFor(e: OciEmulator, options: OciAdapterOptions = FAST, settings: Record<string, unknown> = {}, url = e.url): Promise<OciAdapter> {
  const a = new OciAdapter(options);
  await a.configure({
    block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox', ...settings } },
    baseDir: tmpdir(),
    env: {},
    sandbox: { url, credentials: { ...e.admin } },
  });
  onTestFinished(() => a.close());
  return a;
}

let userSeq = 0;
const newUser = (): string => `ocid1.user.oc1..rc${Date.now().toString(36)}${(userSeq++).toString(36)}`;

function createReq(name: string, owner: string, extra: Partial<CreateRequest> = {}): CreateRequest {
  const key: DesiredKey = {
    name,
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    attributes: { user: owner, bits: 2048 },
    passphrase: { env: 'PASS' },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
  return { key, passphrase: new Secret('recovery passphrase'), token: `tok-${name}`, recordIntent: async () => {}, ...extra };
}

const requestsFor = (e: OciEmulator, user: string) => e.requestLog.filter((r) => r.path.includes(user));

/**
 * A pass-through proxy in front of the emulator that can swallow the answer to a POST
 * after the emulator processed it: the "upload landed but the response was lost" case.
 */
async function lossyProxy(target: string, dropPosts: number): Promise<{ url: string; posts: () => number }> {
  let posts = 0;
  const server: Server = createServer((req, res) => {
    const drop = req.method === 'POST' && posts++ < dropPosts;
    const up = httpRequest(`${target}${req.url ?? ''}`, { method: req.method, headers: req.headers }, (answer) => {
      if (drop) {
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
  };
}

describe('OciAdapter recovery against the emulator', () => {
  it('polls ListApiKeys until a CREATING key turns ACTIVE', async () => {
    const slow = await emulator({ activateAfterMs: 250 });
    const a = await adapterFor(slow);
    const user = newUser();
    const res = await a.create(createReq('slow', user));
    expect(res.live.status).toBe('active');
    expect(requestsFor(slow, user).filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(2);
  });

  it('deletes the uploaded key again when it never becomes ACTIVE, or when aborted while waiting', async () => {
    const stuck = await emulator({ activateAfterMs: 60_000 });
    const a = await adapterFor(stuck, { ...FAST, activeTimeoutMs: 200 });
    const user = newUser();
    const err = await a.create(createReq('stuck', user)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(/^oci: UploadApiKey for user ocid1\.user\.\S+: key [0-9a-f:]{47} was still CREATING after 0 s$/);
    expect((err as ProviderError).retryable).toBe(true);
    expect(stuck.listKeys(user)).toEqual([]);

    const ctl = new AbortController();
    const b = await adapterFor(stuck, { ...FAST, activeTimeoutMs: 60_000 });
    const pending = b.create(createReq('aborted', user, { signal: ctl.signal, recordIntent: async () => void setTimeout(() => ctl.abort(), 100) }));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(stuck.listKeys(user)).toEqual([]);
  });

  it('finds its key when the upload answer was lost (no SDK retries)', async () => {
    const emu = await emulator({});
    const proxy = await lossyProxy(emu.url, 1);
    const a = await adapterFor(emu, FAST, { max_attempts: 1 }, proxy.url);
    const user = newUser();
    const { live } = await a.create(createReq('lost', user));
    expect(proxy.posts()).toBe(1);
    expect(emu.listKeys(user)).toEqual([expect.objectContaining({ fingerprint: live.id, lifecycleState: 'ACTIVE' })]);
  });

  it('lets the SDK retry a lost upload with the same opc-retry-token, which the service replays', async () => {
    const emu = await emulator({});
    const proxy = await lossyProxy(emu.url, 1);
    const a = await adapterFor(emu, FAST, {}, proxy.url); // default SDK retries: first pause is 1-2 s
    const user = newUser();
    const { live } = await a.create(createReq('replayed', user));
    expect(proxy.posts()).toBe(2);
    expect(
      requestsFor(emu, user)
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
    ).toEqual([200, 200]);
    expect(emu.listKeys(user).map((k) => k.fingerprint)).toEqual([live.id]);
  });

  it('maps injected 429/500s to retryable errors, without the SDK circuit breaker opening', async () => {
    const flaky = await emulator({ failRate: 1, seed: 7 });
    const a = await adapterFor(flaky, FAST, { max_attempts: 1 });
    const user = newUser();
    for (let i = 0; i < 12; i++) {
      const err = await a.list({ kind: 'oci.api_key', owner: user }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect([429, 500]).toContain((err as ProviderError).statusCode);
      expect((err as ProviderError).retryable).toBe(true);
    }
    expect(requestsFor(flaky, user)).toHaveLength(12); // every call reached the server
  });
});
