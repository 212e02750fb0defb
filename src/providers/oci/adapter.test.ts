/** Offline behaviour of the OCI adapter: validation, misuse, retry tokens, the factory. */
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../errors/errors.js';
import type { DesiredKey } from '../../model/desired.js';
import { CONTRACT_VERSION } from '../contract.js';
import { createOciAdapter, OciAdapter } from './adapter.js';
import { generateApiKeyPair } from './keygen.js';
import { retryTokenFor } from './retry.js';
import { ociProvider } from './provider.js';

function key(name: string, owner: string, bits: unknown): DesiredKey {
  return {
    name,
    kind: 'oci.api_key',
    provider: 'oci',
    owner,
    attributes: { user: owner, bits: bits as number },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
    source: { file: 'keys.yaml', line: 7, column: 5 },
  };
}

describe('OciAdapter (offline)', () => {
  it('is made by the registry factory with contract version 1', async () => {
    const a = await createOciAdapter();
    expect(a).toBeInstanceOf(OciAdapter);
    expect(a.contractVersion).toBe(CONTRACT_VERSION);
  });

  it('has offline checks on its module: settings, bits and user ids, without network', () => {
    const diags = ociProvider.validate?.({
      block: { name: 'oci', type: 'oci', settings: { endpoint: 'localhost:80', max_attempts: 99, region: 'US East' } },
      keys: [key('ok', 'ocid1.user.oc1..a', 4096), key('bad', 'ocid1.user.oc1..b', 1024), key('odd', 'alice', null)],
    });
    expect((diags ?? []).map((d) => [d.severity, d.path ?? d.range?.line, d.message])).toEqual([
      ['error', 'providers.oci.region', 'expected a region identifier such as us-ashburn-1, got "US East"'],
      ['error', 'providers.oci.endpoint', 'expected an http(s) URL, got protocol "localhost:"'],
      ['error', 'providers.oci.max_attempts', 'expected an integer from 1 to 10, got 99'],
      ['error', 7, 'key "bad": bits must be one of 2048, 3072, 4096, got 1024'],
      ['warning', 7, 'key "odd": user "alice" does not look like a user OCID (ocid1.user.…)'],
    ]);
  });

  it('refuses calls before configure() and kinds it does not manage', async () => {
    const a = new OciAdapter();
    await expect(a.list({ kind: 'oci.api_key', owner: 'u' })).rejects.toBeInstanceOf(InternalError);
    await expect(a.close()).resolves.toBeUndefined();
    const configure = (privateKeyPem: string) =>
      a.configure({
        block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox' } },
        baseDir: '/',
        env: {},
        sandbox: { url: 'http://127.0.0.1:9', credentials: { tenancy: 't', user: 'u', fingerprint: 'f', privateKeyPem, region: 'us-ashburn-1' } },
      });
    await expect(configure('not a key')).rejects.toThrow('provider "oci": the OCI SDK cannot use the signing key of sandbox');
    await configure((await generateApiKeyPair({ passphrase: null })).privateKeyPem.reveal());
    await expect(a.list({ kind: 'outscale.access_key', owner: 'u' })).rejects.toThrow(
      'Expected kind `oci.api_key` for the oci adapter, got `outscale.access_key`',
    );
    await a.close();
  });
});

describe('retryTokenFor', () => {
  it('is 64 hex characters, stable for one key pair and distinct for another', () => {
    const t = retryTokenFor('step-1', 'aa:bb');
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(retryTokenFor('step-1', 'aa:bb')).toBe(t);
    expect(retryTokenFor('step-1', 'aa:cc')).not.toBe(t);
    expect(retryTokenFor('step-2', 'aa:bb')).not.toBe(t);
  });
});
