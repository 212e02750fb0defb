/**
 * The DataOS adapter against the Heimdall emulator over real HTTP: whoami, listing,
 * generation names, journalling before create, delivered tokens that authenticate,
 * deletes confirmed by a list, auth header choice, and errors that name the token's
 * environment variable but never a token.
 */
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDataosEmulator, type DataosEmulator } from '../../emulators/dataos/index.js';
import { KeyplanError, ProviderError } from '../../errors/errors.js';
import type { DesiredKey } from '../../model/desired.js';
import type { ConfigureRequest, CreateRequest } from '../contract.js';
import { DataosAdapter, type DataosAdapterOptions } from './adapter.js';
import { DATAOS_CALLER } from './caller.js';
import { transport } from '../shared/http-request.js';

const FAST: DataosAdapterOptions = { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } };

let emu: DataosEmulator;
beforeAll(async () => {
  emu = await startDataosEmulator({ autoCreateUsers: true });
});
afterAll(async () => {
  await emu?.close();
});

function envRequest(e: DataosEmulator, env: Record<string, string | undefined>, settings: Record<string, unknown> = {}): ConfigureRequest {
  return {
    block: { name: 'dataos', type: 'dataos', settings: { url: e.url, token_env: 'DATAOS_APIKEY', auth_header: 'apikey', ...settings } },
    baseDir: tmpdir(),
    env,
  };
}

async function adapter(
  e: DataosEmulator,
  options: DataosAdapterOptions = FAST,
  token = e.bootstrap.token,
  settings: Record<string, unknown> = {},
): Promise<DataosAdapter> {
  const a = new DataosAdapter(options);
  await a.configure(envRequest(e, { DATAOS_APIKEY: token }, settings));
  onTestFinished(() => a.close());
  return a;
}

function desired(name: string, owner: string = DATAOS_CALLER, tokenName = name): DesiredKey {
  return {
    name,
    kind: 'dataos.api_key',
    provider: 'dataos',
    owner,
    attributes: { token_name: tokenName, duration: '48h', ...(owner === DATAOS_CALLER ? {} : { user: owner }) },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

function createReq(key: DesiredKey, journal: (string | undefined)[] = []): CreateRequest {
  return { key, passphrase: null, token: `tok-${key.name}`, recordIntent: async (id) => void journal.push(id) };
}

async function whoIs(e: DataosEmulator, token: string): Promise<unknown> {
  const res = await fetch(`${e.url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token }) });
  return res.json();
}

describe('DataosAdapter against the emulator', () => {
  it("configures from the sandbox endpoint and lists the caller's tokens as (caller)/<name>", async () => {
    const a = new DataosAdapter(FAST);
    await a.configure({
      block: { name: 'dataos', type: 'dataos', settings: { endpoint: 'sandbox' } },
      baseDir: tmpdir(),
      env: {},
      sandbox: { url: emu.url, credentials: { token: emu.bootstrap.token, user_id: emu.bootstrap.userId } },
    });
    onTestFinished(() => a.close());
    const { keys } = await a.list({ kind: 'dataos.api_key', owner: DATAOS_CALLER });
    expect(keys.find((k) => k.id === '(caller)/keyplan-sandbox-bootstrap')).toMatchObject({
      provider: 'dataos',
      owner: DATAOS_CALLER,
      status: 'active',
      attributes: { live_name: 'keyplan-sandbox-bootstrap', user_id: 'keyplan-sandbox' },
    });
  });

  it('creates the base name, then the next generation; journals the name first; the token authenticates', async () => {
    const a = await adapter(emu);
    const journal: (string | undefined)[] = [];
    const first = await a.create(createReq(desired('presto', 'alice', 'presto-driver'), journal));
    expect(first.live).toMatchObject({ id: 'alice/presto-driver', owner: 'alice', attributes: { live_name: 'presto-driver', user_id: 'alice' } });
    expect(Date.parse(first.live.expiresAt ?? '') % 3_600_000).toBe(0);
    const second = await a.create(createReq(desired('presto', 'alice', 'presto-driver'), journal));
    expect(second.live.id).toBe('alice/presto-driver-2');
    expect(journal).toEqual(['alice/presto-driver', 'alice/presto-driver-2']);

    const token = first.material.file.reveal();
    expect(Buffer.from(token, 'base64').toString()).toMatch(/^presto-driver\.[0-9a-f-]{36}$/);
    expect(first.material.secrets['token']?.reveal()).toBe(token);
    expect(first.material.values).toEqual({ name: 'presto-driver', user: 'alice', expiration: first.live.expiresAt });
    expect(await whoIs(emu, token)).toMatchObject({ valid: true, result: { id: 'alice' } });
    // Material prints redacted however it is handled.
    expect(`${inspect(first.material)} ${JSON.stringify(first.material)}`).not.toContain(token);

    const { keys } = await a.list({ kind: 'dataos.api_key', owner: 'alice' });
    expect(keys.map((k) => k.id)).toEqual(['alice/presto-driver', 'alice/presto-driver-2']);
  });

  it('deletes by name, confirms it by listing, and treats an absent token as deleted', async () => {
    const a = await adapter(emu);
    const made = await a.create(createReq(desired('gone', 'bob')));
    let journalled = 0;
    await a.delete({ kind: 'dataos.api_key', owner: 'bob', id: made.live.id, recordIntent: async () => void journalled++ });
    expect(emu.listTokens('bob')).toEqual([]);
    await a.delete({ kind: 'dataos.api_key', owner: 'bob', id: made.live.id, recordIntent: async () => void journalled++ });
    expect(journalled).toBe(2);
  });

  it('refuses to call a delete done when the token is still listed (the route is unverified)', async () => {
    const wrongRoute = await adapter(emu, { ...FAST, deleteRoute: 'query' });
    const made = await wrongRoute.create(createReq(desired('stays', 'carol')));
    const err = await wrongRoute
      .delete({ kind: 'dataos.api_key', owner: 'carol', id: made.live.id, recordIntent: async () => undefined })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/token stays is still listed; the delete route keyplan uses is unverified/);
    expect(emu.listTokens('carol').map((t) => t.name)).toEqual(['stays']);
  });

  it('sends the token as Authorization: Bearer when auth_header is bearer', async () => {
    const a = await adapter(emu, FAST, emu.bootstrap.token, { auth_header: 'bearer' });
    const before = emu.requestLog.length;
    await a.list({ kind: 'dataos.api_key', owner: 'dave' });
    expect(emu.requestLog.slice(before).map((e) => e.auth)).toEqual(['bearer']);
    const b = await adapter(emu);
    const mid = emu.requestLog.length;
    await b.list({ kind: 'dataos.api_key', owner: 'dave' });
    expect(emu.requestLog.slice(mid).map((e) => e.auth)).toEqual(['apikey']);
  });

  it('recovers a create whose answer was lost by re-asking with use_existing', async () => {
    const a = await adapter(emu);
    const real = transport.send;
    let dropped = 0;
    transport.send = async (url, req) => {
      const res = await real(url, req);
      if (req.method === 'POST' && String(url).endsWith('/users/erin/tokens') && dropped++ === 0) throw new TypeError('fetch failed');
      return res;
    };
    onTestFinished(() => void (transport.send = real));
    const created = await a.create(createReq(desired('lost', 'erin')));
    expect(created.live.id).toBe('erin/lost');
    expect(emu.listTokens('erin').map((t) => t.name)).toEqual(['lost']);
    expect(await whoIs(emu, created.material.file.reveal())).toMatchObject({ valid: true });
  });

  it('retries injected 429s and 500s until the call goes through', async () => {
    const flaky = await startDataosEmulator({ autoCreateUsers: true, failRate: 0.5, seed: 3 });
    onTestFinished(() => flaky.close());
    const a = await adapter(flaky, { retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 2 } });
    await a.create(createReq(desired('flaky', 'fred')));
    await a.create(createReq(desired('flaky', 'fred')));
    expect((await a.list({ kind: 'dataos.api_key', owner: 'fred' })).keys.map((k) => k.id)).toEqual(['fred/flaky', 'fred/flaky-2']);
    expect(flaky.requestLog.some((e) => e.status === 429 || e.status === 500)).toBe(true);
  });
});

describe('DataosAdapter errors name the variable, never the token', () => {
  it('reports a missing or empty token variable by name', async () => {
    for (const env of [{}, { DATAOS_APIKEY: ' ' }]) {
      const err = await new DataosAdapter(FAST).configure(envRequest(emu, env)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyplanError);
      expect((err as Error).message).toMatch(/environment variable DATAOS_APIKEY \(the DataOS API token keyplan authenticates with\) is (not set|empty)/);
    }
  });

  it('reports a token Heimdall rejects, naming DATAOS_APIKEY; also when authorize answers 401', async () => {
    const bad = Buffer.from('stolen.1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d').toString('base64');
    const strict = await startDataosEmulator({ invalidAuthorize: 'status' });
    onTestFinished(() => strict.close());
    for (const e of [emu, strict]) {
      const err = await new DataosAdapter(FAST).configure(envRequest(e, { DATAOS_APIKEY: bad })).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ProviderError);
      const message = (err as Error).message;
      expect(message).toMatch(/^dataos: Heimdall rejected the API token from environment variable DATAOS_APIKEY \(authorize: 401/);
      expect(message).not.toContain(bad);
      expect(inspect(err)).not.toContain(bad);
    }
  });

  it("reports a user managing another user's tokens as forbidden", async () => {
    const gina = await emu.addUser('gina');
    const a = await adapter(emu, FAST, gina.token);
    const err = await a.list({ kind: 'dataos.api_key', owner: 'alice' }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^dataos: ListTokens for user alice: the API token from environment variable DATAOS_APIKEY is not allowed to do this \(403: forbidden\)/,
    );
    expect((err as Error).message).not.toContain(gina.token);
    expect((await a.list({ kind: 'dataos.api_key', owner: DATAOS_CALLER })).keys.map((k) => k.attributes['user_id'])).toEqual(['gina']);
  });

  it('reports an unreachable instance as a retryable error naming where it went', async () => {
    const gone = await startDataosEmulator();
    const url = gone.url;
    const a = new DataosAdapter({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await gone.close();
    const err = await a
      .configure({
        ...envRequest(gone, { DATAOS_APIKEY: gone.bootstrap.token }),
        block: { name: 'dataos', type: 'dataos', settings: { url, token_env: 'DATAOS_APIKEY' } },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(true);
    expect((err as Error).message).toContain(`dataos: Authorize: no answer from ${url}`);
  });

  it('reports bad provider settings in one message', async () => {
    const err = await new DataosAdapter()
      .configure({ block: { name: 'd', type: 'dataos', settings: { url: 'http://example.com', auth_header: 'basic' } }, baseDir: tmpdir(), env: {} })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'provider "d": url: expected an https URL (http only for 127.0.0.1 or localhost), got protocol "http:"; token_env: name the environment variable holding the DataOS API token; auth_header: expected apikey or bearer, got "basic"',
    );
  });
});
