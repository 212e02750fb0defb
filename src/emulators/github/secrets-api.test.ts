/**
 * The GitHub Actions secrets emulator, driven over HTTP the way a client drives GitHub:
 * fetch the public key, seal the value, PUT it; and every refusal GitHub answers (401,
 * 403, 404, 422) with GitHub's body.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startGithubEmulator, type GithubEmulator, type GithubEmulatorOptions } from './index.js';

async function emulator(options: GithubEmulatorOptions = {}): Promise<GithubEmulator> {
  const gh = await startGithubEmulator(options);
  onTestFinished(() => gh.close());
  return gh;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-github-emulator-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const headers = (token?: string): Record<string, string> => ({
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
});

async function call(gh: GithubEmulator, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${gh.url}${path}`, { method, headers: headers(token), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

async function seal(value: string, publicKey: string): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
  return sodium.to_base64(sodium.crypto_box_seal(value, key), sodium.base64_variants.ORIGINAL);
}

/** Fetches the place's key and PUTs the sealed value, as a client does. */
async function putSecret(gh: GithubEmulator, base: string, name: string, value: string, token: string, extra: Record<string, unknown> = {}) {
  const key = await call(gh, 'GET', `${base}/public-key`, token);
  expect(key.status).toBe(200);
  const { key_id, key: publicKey } = key.body as { key_id: string; key: string };
  return call(gh, 'PUT', `${base}/${name}`, token, { encrypted_value: await seal(value, publicKey), key_id, ...extra });
}

describe('GitHub emulator: repository secrets', () => {
  it('publishes a Curve25519 key, decrypts what a PUT carries, and answers 201 then 204', async () => {
    const gh = await emulator({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678) });
    gh.addRepository('Acme/Infra');
    const token = gh.addToken({ 'acme/infra': 'write' });
    const key = await call(gh, 'GET', '/repos/acme/infra/actions/secrets/public-key', token);
    expect(key.body).toEqual({ key_id: gh.keyId({ repository: 'acme/infra' }), key: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) });
    expect(key.headers.get('x-github-api-version-selected')).toBe('2022-11-28');

    const created = await putSecret(gh, '/repos/acme/infra/actions/secrets', 'oci_key', 'first value', token);
    expect([created.status, created.body]).toEqual([201, {}]);
    expect(gh.secretValue({ repository: 'acme/infra' }, 'OCI_KEY')).toBe('first value');
    const updated = await putSecret(gh, '/repos/ACME/infra/actions/secrets', 'OCI_KEY', 'second value', token);
    expect([updated.status, updated.body]).toEqual([204, undefined]);
    expect(gh.secretValue({ repository: 'acme/infra' }, 'oci_key')).toBe('second value');

    // Metadata only: GitHub never hands a value back; names are upper-case.
    const meta = await call(gh, 'GET', '/repos/acme/infra/actions/secrets/oci_key', token);
    expect(meta.body).toEqual({ name: 'OCI_KEY', created_at: '2026-01-02T03:04:05Z', updated_at: '2026-01-02T03:04:05Z' });
    const list = await call(gh, 'GET', '/repos/acme/infra/actions/secrets', token);
    expect(list.body).toEqual({ total_count: 1, secrets: [meta.body] });
    expect(JSON.stringify(gh.requestLog)).not.toContain('second value');
  });

  it('deletes a secret (204) and then has none (404)', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    const token = gh.addToken({ 'acme/infra': 'write' });
    await putSecret(gh, '/repos/acme/infra/actions/secrets', 'A', 'x', token);
    expect((await call(gh, 'DELETE', '/repos/acme/infra/actions/secrets/A', token)).status).toBe(204);
    expect((await call(gh, 'DELETE', '/repos/acme/infra/actions/secrets/A', token)).status).toBe(404);
    expect(gh.secretNames({ repository: 'acme/infra' })).toEqual([]);
  });
});

describe('GitHub emulator: environments and organizations', () => {
  it('keeps environment secrets apart from the repository’s, each with its own key', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra', { environments: ['production'] });
    const token = gh.addToken({ 'acme/infra': 'write' });
    expect(gh.keyId({ repository: 'acme/infra', environment: 'production' })).not.toBe(gh.keyId({ repository: 'acme/infra' }));
    const res = await putSecret(gh, '/repos/acme/infra/environments/production/secrets', 'TOKEN', 'env value', token);
    expect(res.status).toBe(201);
    expect(gh.secretValue({ repository: 'acme/infra', environment: 'production' }, 'TOKEN')).toBe('env value');
    expect(gh.secretValue({ repository: 'acme/infra' }, 'TOKEN')).toBeUndefined();
    const missing = await call(gh, 'GET', '/repos/acme/infra/environments/staging/secrets/public-key', token);
    expect(missing.status).toBe(404);
  });

  it('requires an organization secret’s visibility and reports it in the metadata', async () => {
    const gh = await emulator();
    gh.addOrganization('acme');
    const token = gh.addToken({ acme: 'write' });
    const without = await putSecret(gh, '/orgs/acme/actions/secrets', 'SHARED', 'v', token);
    expect([without.status, without.body?.['message']]).toEqual([422, 'Invalid request.\n\n"visibility" wasn\'t supplied.']);
    const bad = await putSecret(gh, '/orgs/acme/actions/secrets', 'SHARED', 'v', token, { visibility: 'public' });
    expect(bad.status).toBe(422);
    const ok = await putSecret(gh, '/orgs/acme/actions/secrets', 'SHARED', 'org value', token, { visibility: 'selected', selected_repository_ids: [1, 2] });
    expect(ok.status).toBe(201);
    expect(gh.secretValue({ organization: 'acme' }, 'SHARED')).toBe('org value');
    const meta = await call(gh, 'GET', '/orgs/acme/actions/secrets/SHARED', token);
    expect(meta.body).toMatchObject({
      name: 'SHARED',
      visibility: 'selected',
      selected_repositories_url: `${gh.url}/orgs/acme/actions/secrets/SHARED/repositories`,
    });
  });
});

describe('GitHub emulator: refusals with GitHub’s bodies', () => {
  it('401 without a token or with an unknown one', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    const none = await call(gh, 'GET', '/repos/acme/infra/actions/secrets/public-key');
    expect(none).toMatchObject({ status: 401, body: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' } });
    const bad = await call(gh, 'GET', '/repos/acme/infra/actions/secrets/public-key', 'ghp_unknown');
    expect(bad).toMatchObject({ status: 401, body: { message: 'Bad credentials', status: '401' } });
  });

  it('404 for a repository that does not exist or the token may not see; 403 for a read-only token’s PUT', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    gh.addRepository('acme/other');
    const token = gh.addToken({ 'acme/infra': 'read', 'acme/ghost': 'write' });
    for (const repo of ['acme/other', 'acme/ghost']) {
      const res = await call(gh, 'GET', `/repos/${repo}/actions/secrets/public-key`, token);
      expect(res).toMatchObject({
        status: 404,
        body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/actions/secrets#get-a-repository-public-key', status: '404' },
      });
    }
    const res = await putSecret(gh, '/repos/acme/infra/actions/secrets', 'A', 'x', token);
    expect(res).toMatchObject({
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret',
        status: '403',
      },
    });
    expect(gh.secretNames({ repository: 'acme/infra' })).toEqual([]);
  });

  it.each(['has-dash', '1STARTS_WITH_DIGIT', 'GITHUB_TOKEN', 'github_lower', 'SPACE NAME'])('422 for the secret name %j', async (name) => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    const res = await putSecret(gh, '/repos/acme/infra/actions/secrets', encodeURIComponent(name), 'x', gh.bootstrapToken);
    expect(res).toMatchObject({ status: 422, body: { message: 'Failed to add secret. Name is invalid', status: '422' } });
  });

  it('422 for a box sealed for another key, a stale key id, missing fields and non-base64', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    gh.addRepository('acme/other');
    const token = gh.bootstrapToken;
    const other = (await call(gh, 'GET', '/repos/acme/other/actions/secrets/public-key', token)).body as { key: string };
    const keyId = gh.keyId({ repository: 'acme/infra' });
    const wrongKey = await call(gh, 'PUT', '/repos/acme/infra/actions/secrets/A', token, { encrypted_value: await seal('x', other.key), key_id: keyId });
    expect(wrongKey).toMatchObject({ status: 422, body: { message: 'Bad request - validation failed due to an improperly encrypted secret', status: '422' } });

    const mine = (await call(gh, 'GET', '/repos/acme/infra/actions/secrets/public-key', token)).body as { key: string };
    const stale = await call(gh, 'PUT', '/repos/acme/infra/actions/secrets/A', token, { encrypted_value: await seal('x', mine.key), key_id: '1' });
    expect(stale.status).toBe(422);
    const noKeyId = await call(gh, 'PUT', '/repos/acme/infra/actions/secrets/A', token, { encrypted_value: await seal('x', mine.key) });
    expect(noKeyId.body?.['message']).toBe('Invalid request.\n\n"key_id" wasn\'t supplied.');
    const notBase64 = await call(gh, 'PUT', '/repos/acme/infra/actions/secrets/A', token, { encrypted_value: 'not base64!', key_id: keyId });
    expect(notBase64.status).toBe(422);
    expect(gh.secretNames({ repository: 'acme/infra' })).toEqual([]);
  });

  it('a rotated key refuses boxes sealed for the old one', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    const before = (await call(gh, 'GET', '/repos/acme/infra/actions/secrets/public-key', gh.bootstrapToken)).body as { key: string; key_id: string };
    gh.rotateKey({ repository: 'acme/infra' });
    const res = await call(gh, 'PUT', '/repos/acme/infra/actions/secrets/A', gh.bootstrapToken, {
      encrypted_value: await seal('x', before.key),
      key_id: before.key_id,
    });
    expect(res.status).toBe(422);
  });

  it('400 for an API version it does not serve, 404 for unknown paths and methods', async () => {
    const gh = await emulator();
    gh.addRepository('acme/infra');
    const res = await fetch(`${gh.url}/repos/acme/infra/actions/secrets`, { headers: { ...headers(gh.bootstrapToken), 'x-github-api-version': '2001-01-01' } });
    expect(res.status).toBe(400);
    expect((await call(gh, 'POST', '/repos/acme/infra/actions/secrets/A', gh.bootstrapToken)).status).toBe(404);
    expect((await call(gh, 'GET', '/repos/acme/infra/actions/variables', gh.bootstrapToken)).status).toBe(404);
  });
});

describe('GitHub emulator: faults, sandbox mode and persistence', () => {
  it('answers the next N PUTs with the injected status, then serves again', async () => {
    const gh = await emulator({ failPuts: { status: 503, count: 1 } });
    gh.addRepository('acme/infra');
    expect((await putSecret(gh, '/repos/acme/infra/actions/secrets', 'A', 'x', gh.bootstrapToken)).status).toBe(503);
    gh.failNextPuts(2, 422);
    // GETs are not counted.
    expect((await call(gh, 'GET', '/repos/acme/infra/actions/secrets', gh.bootstrapToken)).status).toBe(200);
    const first = await putSecret(gh, '/repos/acme/infra/actions/secrets', 'A', 'x', gh.bootstrapToken);
    expect(first).toMatchObject({ status: 422, body: { message: 'Validation Failed', status: '422' } });
    expect((await putSecret(gh, '/repos/acme/infra/actions/secrets', 'A', 'x', gh.bootstrapToken)).status).toBe(422);
    expect((await putSecret(gh, '/repos/acme/infra/actions/secrets', 'A', 'x', gh.bootstrapToken)).status).toBe(201);
  });

  it('fails about failRate of the requests with 5xx, repeatably per seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const gh = await emulator({ failRate: 0.5, seed: 11, autoCreate: true });
      const out: number[] = [];
      for (let i = 0; i < 12; i += 1) out.push((await call(gh, 'GET', '/repos/a/b/actions/secrets', gh.bootstrapToken)).status);
      return out;
    };
    const first = await statuses();
    expect(first).toEqual(await statuses());
    expect(first.some((s) => s >= 500) && first.includes(200)).toBe(true);
  });

  it('autoCreate: any place the bootstrap token names exists on first use', async () => {
    const gh = await emulator({ autoCreate: true });
    expect((await putSecret(gh, '/repos/someone/anything/environments/prod/secrets', 'A', 'v', gh.bootstrapToken)).status).toBe(201);
    expect(gh.secretValue({ repository: 'someone/anything', environment: 'prod' }, 'A')).toBe('v');
  });

  it('keeps the bootstrap token, keys and decrypted secrets in a mode-0600 store, shared across processes', async () => {
    const dataDir = tempDir();
    const first = await emulator({ dataDir });
    first.addRepository('acme/infra');
    await putSecret(first, '/repos/acme/infra/actions/secrets', 'A', 'kept', first.bootstrapToken);
    const second = await emulator({ dataDir });
    expect(second.bootstrapToken).toBe(first.bootstrapToken);
    expect(second.secretValue({ repository: 'acme/infra' }, 'A')).toBe('kept');
    // A failure injected through one process reaches the other's next PUT.
    second.failNextPuts(1, 403);
    expect((await putSecret(first, '/repos/acme/infra/actions/secrets', 'A', 'x', first.bootstrapToken)).status).toBe(403);
    expect(statSync(join(dataDir, 'store.json')).mode & 0o777).toBe(0o600);
  });
});
