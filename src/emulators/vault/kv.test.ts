/** The KV v2 API of the emulator over HTTP: versions, check-and-set, deletes, metadata. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { CAS_MISMATCH, CAS_REQUIRED, startVaultEmulator, type VaultEmulator, type VaultEmulatorOptions } from './index.js';

async function started(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const emu = await startVaultEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
}

async function call(emu: VaultEmulator, method: string, path: string, body?: unknown, token = emu.rootToken): Promise<Answer> {
  const res = await fetch(`${emu.url}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const write = (emu: VaultEmulator, path: string, data: Record<string, unknown>, cas?: number) =>
  call(emu, 'POST', `secret/data/${path}`, { ...(cas === undefined ? {} : { options: { cas } }), data });

describe('Vault emulator: KV v2 data', () => {
  it('writes versions and reads the latest or a chosen one, in Vault’s envelope', async () => {
    const emu = await started();
    const first = await write(emu, 'ci/app', { token: 'one' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      request_id: expect.any(String),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: { version: 1, destroyed: false, deletion_time: '', custom_metadata: null, created_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      warnings: null,
      auth: null,
    });
    await write(emu, 'ci/app', { token: 'two', extra: 1 });
    const latest = await call(emu, 'GET', 'secret/data/ci/app');
    expect(latest.status).toBe(200);
    expect(latest.body?.['data']).toMatchObject({ data: { token: 'two', extra: 1 }, metadata: { version: 2 } });
    const older = await call(emu, 'GET', 'secret/data/ci/app?version=1');
    expect(older.body?.['data']).toMatchObject({ data: { token: 'one' }, metadata: { version: 1 } });
  });

  it('answers 404 with an empty error list for a missing secret or version', async () => {
    const emu = await started();
    expect(await call(emu, 'GET', 'secret/data/none')).toEqual({ status: 404, body: { errors: [] } });
    await write(emu, 'one', { a: 'b' });
    expect(await call(emu, 'GET', 'secret/data/one?version=7')).toEqual({ status: 404, body: { errors: [] } });
  });

  it('cas 0 writes only a secret that does not exist; cas N only over version N', async () => {
    const emu = await started();
    expect((await write(emu, 'x', { v: '1' }, 0)).status).toBe(200);
    expect(await write(emu, 'x', { v: 'again' }, 0)).toEqual({ status: 400, body: { errors: [CAS_MISMATCH] } });
    expect(await write(emu, 'x', { v: 'stale' }, 2)).toEqual({ status: 400, body: { errors: [CAS_MISMATCH] } });
    expect((await write(emu, 'x', { v: '2' }, 1)).body?.['data']).toMatchObject({ version: 2 });
    // Refused writes left nothing behind.
    expect(emu.secret('x')?.currentVersion).toBe(2);
    expect((await call(emu, 'GET', 'secret/data/x')).body?.['data']).toMatchObject({ data: { v: '2' } });
  });

  it('requires cas where the mount or the secret says so', async () => {
    const emu = await started({ mounts: [{ path: 'secret' }, { path: 'strict', casRequired: true }] });
    expect(await call(emu, 'POST', 'strict/data/a', { data: { k: 'v' } })).toEqual({ status: 400, body: { errors: [CAS_REQUIRED] } });
    expect((await call(emu, 'POST', 'strict/data/a', { options: { cas: 0 }, data: { k: 'v' } })).status).toBe(200);
    expect((await call(emu, 'POST', 'secret/metadata/b', { cas_required: true })).status).toBe(204);
    expect(await write(emu, 'b', { k: 'v' })).toEqual({ status: 400, body: { errors: [CAS_REQUIRED] } });
    // A metadata-only secret is at version 0, so cas 0 creates its first version.
    expect((await write(emu, 'b', { k: 'v' }, 0)).body?.['data']).toMatchObject({ version: 1 });
  });

  it('refuses a write without data, and a cas that is not a whole number', async () => {
    const emu = await started();
    expect(await call(emu, 'POST', 'secret/data/x', { options: { cas: 0 } })).toEqual({ status: 400, body: { errors: ['no data provided'] } });
    expect((await call(emu, 'POST', 'secret/data/x', { options: { cas: 'zero' }, data: {} })).status).toBe(400);
    expect(emu.secret('x')).toBeUndefined();
  });

  it('soft-deletes the latest version, undeletes and destroys versions', async () => {
    const emu = await started();
    await write(emu, 'd', { v: '1' });
    await write(emu, 'd', { v: '2' });
    expect((await call(emu, 'DELETE', 'secret/data/d')).status).toBe(204);
    const deleted = await call(emu, 'GET', 'secret/data/d');
    expect(deleted.status).toBe(404);
    expect(deleted.body?.['data']).toMatchObject({ data: null, metadata: { version: 2, deletion_time: expect.stringMatching(/T/), destroyed: false } });
    expect((await call(emu, 'POST', 'secret/undelete/d', { versions: [2] })).status).toBe(204);
    expect((await call(emu, 'GET', 'secret/data/d')).body?.['data']).toMatchObject({ data: { v: '2' } });
    expect((await call(emu, 'POST', 'secret/destroy/d', { versions: [1] })).status).toBe(204);
    const destroyed = await call(emu, 'GET', 'secret/data/d?version=1');
    expect(destroyed.status).toBe(404);
    expect(destroyed.body?.['data']).toMatchObject({ data: null, metadata: { destroyed: true } });
    expect(await call(emu, 'POST', 'secret/delete/d', { versions: [] })).toEqual({ status: 400, body: { errors: ['no version number provided'] } });
    // A write after a soft delete still checks against the current version.
    expect((await write(emu, 'd', { v: '3' }, 2)).body?.['data']).toMatchObject({ version: 3 });
  });

  it('answers a deleted version with a bare 404 when told to', async () => {
    const emu = await started({ deletedRead: 'empty' });
    await write(emu, 'd', { v: '1' });
    await call(emu, 'DELETE', 'secret/data/d');
    expect(await call(emu, 'GET', 'secret/data/d')).toEqual({ status: 404, body: { errors: [] } });
  });
});

describe('Vault emulator: KV v2 metadata', () => {
  it('shows current_version, max_versions, the versions map and custom metadata', async () => {
    const emu = await started();
    await write(emu, 'm', { v: '1' });
    await write(emu, 'm', { v: '2' });
    expect((await call(emu, 'POST', 'secret/metadata/m', { max_versions: 5, custom_metadata: { owner: 'ci' } })).status).toBe(204);
    const meta = await call(emu, 'GET', 'secret/metadata/m');
    expect(meta.status).toBe(200);
    expect(meta.body?.['data']).toMatchObject({
      cas_required: false,
      current_version: 2,
      max_versions: 5,
      oldest_version: 1,
      custom_metadata: { owner: 'ci' },
      delete_version_after: '0s',
      versions: { '1': { deletion_time: '', destroyed: false }, '2': { deletion_time: '', destroyed: false } },
    });
    expect(await call(emu, 'GET', 'secret/metadata/none')).toEqual({ status: 404, body: { errors: [] } });
  });

  it('keeps max_versions versions (10 by default) and drops the oldest', async () => {
    const emu = await started({ mounts: [{ path: 'secret', maxVersions: 3 }] });
    for (let i = 1; i <= 5; i += 1) await write(emu, 'p', { i });
    const meta = (await call(emu, 'GET', 'secret/metadata/p')).body?.['data'] as Record<string, unknown>;
    expect([meta['current_version'], meta['oldest_version'], Object.keys(meta['versions'] as object)]).toEqual([5, 3, ['3', '4', '5']]);
    expect((await call(emu, 'GET', 'secret/data/p?version=2')).status).toBe(404);
    const defaults = await started();
    for (let i = 1; i <= 12; i += 1) await write(defaults, 'p', { i });
    expect(Object.keys(defaults.secret('p')?.versions ?? {})).toHaveLength(10);
  });

  it('deletes all versions with the metadata, and succeeds for a missing path too', async () => {
    const emu = await started();
    await write(emu, 'gone', { v: '1' });
    expect((await call(emu, 'DELETE', 'secret/metadata/gone')).status).toBe(204);
    expect((await call(emu, 'GET', 'secret/data/gone')).status).toBe(404);
    expect((await call(emu, 'DELETE', 'secret/metadata/gone')).status).toBe(204);
    // Created again, the secret starts over at version 1.
    expect((await write(emu, 'gone', { v: 'new' }, 0)).body?.['data']).toMatchObject({ version: 1 });
  });

  it('lists a folder’s keys, sub-folders with a trailing slash', async () => {
    const emu = await started();
    await write(emu, 'team/a', { v: '1' });
    await write(emu, 'team/sub/b', { v: '1' });
    await write(emu, 'other', { v: '1' });
    const listed = await call(emu, 'GET', 'secret/metadata/team/?list=true');
    expect(listed.body?.['data']).toEqual({ keys: ['a', 'sub/'] });
    expect((await call(emu, 'GET', 'secret/metadata/?list=true')).body?.['data']).toEqual({ keys: ['other', 'team/'] });
    expect((await call(emu, 'GET', 'secret/metadata/empty/?list=true')).status).toBe(404);
  });

  it('routes to the longest mount and answers 404 for a path no mount serves', async () => {
    const emu = await started({ mounts: [{ path: 'secret' }, { path: 'secret/team' }] });
    await call(emu, 'POST', 'secret/team/data/x', { data: { v: 'team' } });
    expect(emu.secret('x', { mount: 'secret/team' })?.currentVersion).toBe(1);
    expect(emu.secret('team/data/x')).toBeUndefined();
    expect(await call(emu, 'GET', 'kv/data/x')).toEqual({ status: 404, body: { errors: ['no handler for route "kv/data/x". route entry not found.'] } });
  });
});
