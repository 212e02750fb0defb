/**
 * The OUTSCALE adapter against the OUTSCALE emulator on loopback: the real wire format,
 * signatures and error bodies, for every operation of the contract.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ProviderError } from '../../errors/errors.js';
import type { DesiredKey } from '../../model/desired.js';
import { startOutscaleEmulator, type OutscaleEmulator } from '../../emulators/outscale/index.js';
import { thrown } from '../../../test/helpers/errors.js';
import { OutscaleAdapter } from './adapter.js';
import { parseOapiDate } from './access-key.js';
import { CALLER_OWNER } from './owner.js';

const DAY = 86_400_000;
let emu: OutscaleEmulator;
let adapter: OutscaleAdapter;

beforeEach(async () => {
  emu = await startOutscaleEmulator({ autoCreateUsers: true });
  adapter = await configured();
});
afterEach(async () => {
  await adapter.close();
  await emu.close();
});

async function configured(settings: Record<string, unknown> = { endpoint: 'sandbox' }, env: Record<string, string> = {}): Promise<OutscaleAdapter> {
  const a = new OutscaleAdapter({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
  const { accessKey, secretKey, region } = emu.account;
  await a.configure({
    block: { name: 'osc', type: 'outscale', settings },
    baseDir: '/nonexistent',
    env,
    sandbox: { url: emu.url, credentials: { access_key: accessKey, secret_key: secretKey, region } },
  });
  return a;
}

function key(name: string, attrs: { user_name?: string | null; expires_in?: string | null; state?: string } = {}): DesiredKey {
  const user = attrs.user_name ?? null;
  return {
    name,
    kind: 'outscale.access_key',
    provider: 'osc',
    owner: user ?? CALLER_OWNER,
    attributes: { user_name: user, expires_in: attrs.expires_in ?? null, state: attrs.state ?? 'ACTIVE' },
    passphrase: { none: true },
    outputs: [{ type: 'file', path: 'x.json' }],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}

const intents: unknown[][] = [];
const create = (k: DesiredKey, token = `tok-${k.name}`) =>
  adapter.create({ key: k, passphrase: null, token, recordIntent: async (...args) => void intents.push(args) });
const noIntent = async (): Promise<void> => undefined;

describe('OutscaleAdapter against the emulator', () => {
  it('creates a marked key with its expiry and hands the secret only to the material', async () => {
    const before = Date.now();
    const created = await create(key('etl', { user_name: 'etl-bot', expires_in: '90d' }));
    const secret = created.material.secrets['secret_key']?.reveal() ?? '';
    expect(secret).toMatch(/^[A-Z0-9]{40}$/);
    expect(created.live.id).toMatch(/^[A-Z0-9]{20}$/);
    expect(created.live).toMatchObject({ owner: 'etl-bot', status: 'active', marker: 'etl', attributes: { state: 'ACTIVE', expires_in: '90d' } });
    expect(JSON.stringify(created.live)).not.toContain(secret);
    expect(JSON.parse(created.material.file.reveal())).toEqual({
      access_key: created.live.id,
      secret_key: secret,
      region: emu.account.region,
      endpoint_api: `${emu.url}/api/v1`,
    });
    expect(created.material.values).toEqual({ access_key: created.live.id, region: emu.account.region, endpoint_api: `${emu.url}/api/v1` });
    expect(String(created.material.file)).toBe('(sensitive value)');
    // The intent names the attempt's Tag, so an interrupted create can be found again.
    const [stored] = emu.listAccessKeys('etl-bot');
    expect(intents.at(-1)).toEqual([undefined, { attribute: 'tag', value: stored?.tag }]);
    expect(stored?.tag).toMatch(/^keyplan:etl:[0-9a-f]{12}$/);
    const expires = parseOapiDate(stored?.expirationDate) ?? 0;
    expect(expires - before).toBeGreaterThanOrEqual(90 * DAY);
    expect(expires - Date.now()).toBeLessThanOrEqual(90 * DAY);
  });

  it('lists the caller own keys (the bootstrap one, unmarked) and a user keys, without secrets', async () => {
    const own = await adapter.list({ kind: 'outscale.access_key', owner: CALLER_OWNER });
    expect(own.keys.map((k) => k.id)).toEqual([emu.account.accessKey]);
    expect(own.keys[0]).toMatchObject({ owner: CALLER_OWNER, status: 'active', attributes: { expires_in: null } });
    expect(own.keys[0]?.marker).toBeUndefined();
    const created = await create(key('svc', { user_name: 'svc-user' }));
    const listed = await adapter.list({ kind: 'outscale.access_key', owner: 'svc-user' });
    expect(listed.keys).toEqual([created.live]);
    expect(JSON.stringify(listed)).not.toContain(created.material.secrets['secret_key']?.reveal());
  });

  it('updates the state in place and keeps the expiry', async () => {
    const created = await create(key('a', { user_name: 'u1', expires_in: '30d' }));
    const expiry = emu.listAccessKeys('u1')[0]?.expirationDate;
    const k = key('a', { user_name: 'u1', expires_in: '30d', state: 'INACTIVE' });
    const updated = await adapter.update({ key: k, live: created.live, changes: k.attributes });
    expect(updated.live).toMatchObject({ status: 'inactive', attributes: { state: 'INACTIVE', expires_in: '30d' } });
    expect(emu.listAccessKeys('u1')[0]).toMatchObject({ state: 'INACTIVE', expirationDate: expiry });
  });

  it('moves the expiry to creation + expires_in, and clears it', async () => {
    const created = await create(key('b', { expires_in: '30d' }));
    const longer = key('b', { expires_in: '60d' });
    const updated = await adapter.update({ key: longer, live: created.live, changes: longer.attributes });
    expect(updated.live.attributes['expires_in']).toBe('60d');
    const stored = emu.listAccessKeys().find((k) => k.accessKeyId === created.live.id);
    expect((parseOapiDate(stored?.expirationDate) ?? 0) - (parseOapiDate(stored?.creationDate) ?? 0)).toBe(60 * DAY);
    const never = key('b');
    const cleared = await adapter.update({ key: never, live: created.live, changes: never.attributes });
    expect(cleared.live.attributes['expires_in']).toBeNull();
    expect(emu.listAccessKeys().find((k) => k.accessKeyId === created.live.id)?.expirationDate).toBeUndefined();
  });

  it('creates an INACTIVE key when declared so, keeping its expiry', async () => {
    const created = await create(key('c', { user_name: 'u2', expires_in: '7d', state: 'INACTIVE' }));
    expect(created.live.status).toBe('inactive');
    expect(emu.listAccessKeys('u2')[0]).toMatchObject({ state: 'INACTIVE' });
    expect(emu.listAccessKeys('u2')[0]?.expirationDate).toBeDefined();
  });

  it('deactivates an EIM user key before deleting it; deleting a gone key succeeds', async () => {
    const created = await create(key('d', { user_name: 'u3' }));
    await adapter.delete({ kind: 'outscale.access_key', owner: 'u3', id: created.live.id, recordIntent: noIntent });
    expect(emu.listAccessKeys('u3')).toEqual([]);
    const actions = emu.requestLog.map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['ReadAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey']);
    await adapter.delete({ kind: 'outscale.access_key', owner: 'u3', id: created.live.id, recordIntent: noIntent });
    const rootKey = await create(key('e'));
    await adapter.delete({ kind: 'outscale.access_key', owner: CALLER_OWNER, id: rootKey.live.id, recordIntent: noIntent });
    expect(emu.listAccessKeys().map((k) => k.accessKeyId)).toEqual([emu.account.accessKey]);
  });

  it('maps the 11th key of a user to a ProviderError with code 10005 and leaves no key behind', async () => {
    for (let i = 0; i < 10; i++) await create(key(`q${i}`, { user_name: 'full' }));
    const error = await thrown(create(key('q10', { user_name: 'full' })));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ serviceCode: '10005', statusCode: 400, retryable: false, operation: 'CreateAccessKey' });
    expect(error.message).toMatch(/^outscale: CreateAccessKey for user full: 400 TooManyResources.*10005/);
    expect(error.message).toMatch(/RequestId [0-9a-f-]{36}/);
    expect(emu.listAccessKeys('full')).toHaveLength(10);
  });

  it('signs AWS4 when asked, and authenticates with login and password', async () => {
    const aws = await configured({ endpoint: 'sandbox', signature_scheme: 'AWS4' });
    expect((await aws.list({ kind: 'outscale.access_key', owner: CALLER_OWNER })).keys).toHaveLength(1);
    const basic = await configured({ endpoint: emu.url, auth: 'basic' }, { OSC_LOGIN: emu.account.login, OSC_PASSWORD: emu.account.password });
    expect((await basic.list({ kind: 'outscale.access_key', owner: CALLER_OWNER })).keys).toHaveLength(1);
  });

  it('reports a wrong secret as the API does, without the secret', async () => {
    const bad = new OutscaleAdapter({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const wrong = 'W'.repeat(40);
    await bad.configure({
      block: { name: 'osc', type: 'outscale', settings: { endpoint: emu.url } },
      baseDir: '/',
      env: { OSC_ACCESS_KEY: emu.account.accessKey, OSC_SECRET_KEY: wrong, OSC_REGION: emu.account.region },
    });
    const error = await thrown(bad.list({ kind: 'outscale.access_key', owner: CALLER_OWNER }));
    expect(error).toMatchObject({ statusCode: 401, serviceCode: '1' });
    expect(error.message).not.toContain(wrong);
  });

  it('deletes again a key whose create answer was lost, and says so', async () => {
    // A proxy that lets CreateAccessKey reach the emulator but answers 502 itself.
    const proxy = createServer((req, res) => {
      const upstream = new URL(emu.url);
      const fwd = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          if (req.url?.endsWith('/CreateAccessKey')) return void res.writeHead(502).end('<html>bad gateway</html>');
          res.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(chunks));
        });
      });
      req.pipe(fwd);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          proxy.closeAllConnections();
          proxy.close(() => resolve());
        }),
    );
    const { accessKey, secretKey, region } = emu.account;
    const viaProxy = new OutscaleAdapter({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await viaProxy.configure({
      block: { name: 'osc', type: 'outscale', settings: { endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } },
      baseDir: '/',
      env: { OSC_ACCESS_KEY: accessKey, OSC_SECRET_KEY: secretKey, OSC_REGION: region },
    });
    const error = await thrown(viaProxy.create({ key: key('lost', { user_name: 'lost-user' }), passphrase: null, token: 't1', recordIntent: noIntent }));
    expect(error.message).toMatch(
      /^outscale: CreateAccessKey for user lost-user: 502 \(no OUTSCALE error body\); the key it created anyway \([A-Z0-9]{20}\) was deleted again$/,
    );
    // The request reached the emulator once (not retried), and its key is gone.
    expect(emu.requestLog.filter((e) => e.action === 'CreateAccessKey')).toHaveLength(1);
    expect(emu.listAccessKeys('lost-user')).toEqual([]);
  });

  it('rides out injected throttling and server errors on reads', async () => {
    const flaky = await startOutscaleEmulator({ failRate: 0.5, seed: 42 });
    onTestFinished(() => flaky.close());
    const a = new OutscaleAdapter({ retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 2 } });
    const { accessKey, secretKey, region } = flaky.account;
    await a.configure({
      block: { name: 'osc', type: 'outscale', settings: { endpoint: 'sandbox' } },
      baseDir: '/',
      env: {},
      sandbox: { url: flaky.url, credentials: { access_key: accessKey, secret_key: secretKey, region } },
    });
    for (let i = 0; i < 5; i++) expect((await a.list({ kind: 'outscale.access_key', owner: CALLER_OWNER })).keys).toHaveLength(1);
    const statuses = new Set(flaky.requestLog.map((e) => e.status));
    expect(statuses.has(200)).toBe(true);
    expect([...statuses].some((st) => st === 429 || st === 503 || st === 500)).toBe(true);
  });
});
