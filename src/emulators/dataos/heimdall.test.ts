/**
 * The Heimdall emulator over raw fetch, as any HTTP client sees it: auth by `apikey`
 * header and Bearer, authorize as whoami, name-keyed tokens, token format, hour-truncated
 * expirations, 200 vs 201, `{status, message}` errors, the delete route options, users,
 * permissions and expiry.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { decodeToken, startDataosEmulator, type DataosEmulator, type DataosEmulatorOptions } from './index.js';

const HOUR = 3_600_000;
// 2025-03-10T10:37:00Z: not on an hour, so truncation shows.
const T0 = Date.parse('2025-03-10T10:37:00.000Z');

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function call(emu: DataosEmulator, method: string, path: string, auth: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const res = await fetch(`${emu.url}/heimdall/api/v1/${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const apikey = (token: string): Record<string, string> => ({ apikey: token });
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function emulator(options: DataosEmulatorOptions = {}): Promise<DataosEmulator> {
  const emu = await startDataosEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

let shared: DataosEmulator;
const clock = T0;
beforeAll(async () => {
  shared = await startDataosEmulator({ now: () => clock, autoCreateUsers: true });
});
afterAll(async () => {
  await shared?.close();
});

describe('authorize (whoami)', () => {
  it('resolves a token in the body to its user, without any auth header', async () => {
    const r = await call(shared, 'POST', 'authorize', {}, { token: shared.bootstrap.token });
    expect(r).toEqual({
      status: 200,
      body: { allow: true, valid: true, result: { id: 'keyplan-sandbox', tags: ['users:id:keyplan-sandbox', 'roles:id:operator'] } },
    });
  });

  it('answers an unknown token with valid: false and an error, or 401 when so configured', async () => {
    const bogus = Buffer.from('nobody.4f0a3c1e-2b7d-4c3e-9a1b-0c2d3e4f5a6b').toString('base64');
    const r = await call(shared, 'POST', 'authorize', {}, { token: bogus });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ allow: false, valid: false, error: { status: 401 } });
    const strict = await emulator({ invalidAuthorize: 'status' });
    const s = await call(strict, 'POST', 'authorize', {}, { token: bogus });
    expect(s.status).toBe(401);
    expect(s.body).toEqual({ status: 401, message: expect.any(String) });
    expect(await call(strict, 'POST', 'authorize', {}, {})).toMatchObject({ status: 400, body: { status: 400 } });
  });
});

describe('tokens', () => {
  it('accepts the apikey header and Bearer alike, and refuses neither with a {status, message} 401', async () => {
    const { token } = shared.bootstrap;
    expect((await call(shared, 'GET', 'users/keyplan-sandbox/tokens', apikey(token))).status).toBe(200);
    expect((await call(shared, 'GET', 'users/keyplan-sandbox/tokens', bearer(token))).status).toBe(200);
    const none = await call(shared, 'GET', 'users/keyplan-sandbox/tokens');
    expect(none).toEqual({ status: 401, body: { status: 401, message: expect.any(String) } });
    expect((await call(shared, 'GET', 'users/keyplan-sandbox/tokens', apikey('not-a-token'))).status).toBe(401);
  });

  it('creates name-keyed tokens: 201, base64(name.uuid), expiration truncated to the hour; 409 or 200 on a taken name', async () => {
    const auth = apikey(shared.bootstrap.token);
    const created = await call(shared, 'POST', 'users/alice/tokens', auth, { type: 'apikey', name: 'presto-driver', duration: '24h' });
    expect(created.status).toBe(201);
    const body = created.body as { name: string; type: string; expiration: string; user_id: string; data: { apikey: string } };
    expect(body).toMatchObject({ name: 'presto-driver', type: 'apikey', user_id: 'alice', expiration: '2025-03-11T10:00:00Z' });
    expect(decodeToken(body.data.apikey)).toEqual({ name: 'presto-driver', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(Buffer.from(body.data.apikey, 'base64').toString()).toMatch(/^presto-driver\.[0-9a-f-]{36}$/);

    const again = await call(shared, 'POST', 'users/alice/tokens', auth, { type: 'apikey', name: 'presto-driver', duration: '48h' });
    expect(again).toEqual({ status: 409, body: { status: 409, message: expect.any(String) } });
    const reused = await call(shared, 'POST', 'users/alice/tokens', auth, { type: 'apikey', name: 'presto-driver', duration: '48h', use_existing: true });
    expect(reused.status).toBe(200);
    expect((reused.body as { data: { apikey: string } }).data.apikey).toBe(body.data.apikey);
    expect((reused.body as { expiration: string }).expiration).toBe('2025-03-11T10:00:00Z');

    const listed = await call(shared, 'GET', 'users/alice/tokens', auth);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ name: 'presto-driver', type: 'apikey', user_id: 'alice', data: { apikey: body.data.apikey } })]);
    expect(shared.listTokens('alice')).toEqual([{ name: 'presto-driver', type: 'apikey', expiration: '2025-03-11T10:00:00Z' }]);
  });

  it('defaults to 24h and a generated name; refuses bad durations, names and types with 400', async () => {
    const auth = apikey(shared.bootstrap.token);
    const r = await call(shared, 'POST', 'users/bob/tokens', auth, { type: 'apikey' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: expect.stringMatching(/^token_[a-z]+_[a-z]+_[a-z]+_[a-z]+$/), expiration: '2025-03-11T10:00:00Z' });
    for (const body of [{ name: 'x', duration: '24' }, { name: 'x', duration: '-1h' }, { name: 'bad name' }, { type: 'oidc', name: 'x' }]) {
      expect(await call(shared, 'POST', 'users/bob/tokens', auth, body)).toMatchObject({ status: 400, body: { status: 400 } });
    }
    const longer = await call(shared, 'POST', 'users/bob/tokens', auth, { name: 'x', duration: '1h30m' });
    expect(longer.body).toMatchObject({ expiration: '2025-03-10T12:00:00Z' });
  });

  it('deletes by name (path route by default): 204, then 404', async () => {
    const auth = apikey(shared.bootstrap.token);
    await call(shared, 'POST', 'users/carol/tokens', auth, { name: 'gone-soon' });
    expect(await call(shared, 'DELETE', 'users/carol/tokens/gone-soon', auth)).toEqual({ status: 204, body: undefined });
    expect(await call(shared, 'DELETE', 'users/carol/tokens/gone-soon', auth)).toMatchObject({ status: 404, body: { status: 404 } });
    expect((await call(shared, 'DELETE', 'users/carol/tokens?name=gone-soon', auth)).status).toBe(405);
  });

  it('serves the query delete route when configured', async () => {
    const emu = await emulator({ deleteRoute: 'query', autoCreateUsers: true });
    const auth = apikey(emu.bootstrap.token);
    await call(emu, 'POST', 'users/dan/tokens', auth, { name: 'q' });
    expect((await call(emu, 'DELETE', 'users/dan/tokens/q', auth)).status).toBe(404);
    expect((await call(emu, 'DELETE', 'users/dan/tokens?name=q', auth)).status).toBe(204);
    expect(emu.listTokens('dan')).toEqual([]);
  });

  it('hides secrets from the list when listRevealsToken is off', async () => {
    const emu = await emulator({ listRevealsToken: false });
    const r = await call(emu, 'GET', `users/${emu.bootstrap.userId}/tokens`, apikey(emu.bootstrap.token));
    expect(r.body).toEqual([expect.objectContaining({ name: 'keyplan-sandbox-bootstrap', data: {} })]);
  });
});

describe('users, permissions and expiry', () => {
  it("lets a user manage only its own tokens, and an operator anyone's", async () => {
    const emu = await emulator();
    const erin = await emu.addUser('erin');
    const auth = apikey(erin.token);
    expect((await call(emu, 'POST', 'authorize', {}, { token: erin.token })).body).toMatchObject({ result: { id: 'erin' } });
    expect((await call(emu, 'POST', 'users/erin/tokens', auth, { name: 'own' })).status).toBe(201);
    expect(await call(emu, 'GET', `users/${emu.bootstrap.userId}/tokens`, auth)).toMatchObject({ status: 403, body: { status: 403 } });
    expect((await call(emu, 'GET', 'users/erin/tokens', apikey(emu.bootstrap.token))).status).toBe(200);
    expect((await call(emu, 'GET', 'users/erin', auth)).body).toMatchObject({ id: 'erin', type: 'application', tags: ['users:id:erin', 'roles:id:user'] });
    expect(await call(emu, 'GET', 'users/nobody/tokens', apikey(emu.bootstrap.token))).toMatchObject({ status: 404, body: { status: 404 } });
    expect(await call(emu, 'PUT', 'users/erin/tokens', auth)).toMatchObject({ status: 405 });
    expect(await call(emu, 'GET', 'nowhere', auth)).toMatchObject({ status: 404 });
  });

  it('stops accepting a token at its expiration, while still listing it', async () => {
    let now = T0;
    const emu = await emulator({ now: () => now });
    const auth = apikey(emu.bootstrap.token);
    const made = await call(emu, 'POST', `users/${emu.bootstrap.userId}/tokens`, auth, { name: 'short', duration: '2h' });
    const token = (made.body as { data: { apikey: string } }).data.apikey;
    expect((await call(emu, 'POST', 'authorize', {}, { token })).body).toMatchObject({ valid: true });
    // Created 10:37 with 2h: the expiry is truncated to 12:00, before the nominal 12:37.
    now = Date.parse('2025-03-10T12:00:00.000Z');
    expect((await call(emu, 'POST', 'authorize', {}, { token })).body).toMatchObject({ valid: false });
    expect((await call(emu, 'GET', `users/${emu.bootstrap.userId}/tokens`, apikey(token))).status).toBe(401);
    expect(emu.listTokens(emu.bootstrap.userId).map((t) => t.name)).toContain('short');
    expect(now - T0).toBeLessThan(2 * HOUR);
  });
});

describe('request log', () => {
  it('records method, path and status, never a token', async () => {
    const entries = JSON.stringify(shared.requestLog);
    expect(shared.requestLog.length).toBeGreaterThan(5);
    expect(entries).toContain('"path":"/heimdall/api/v1/users/alice/tokens"');
    expect(entries).not.toContain(shared.bootstrap.token);
    expect(entries).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/);
  });
});
