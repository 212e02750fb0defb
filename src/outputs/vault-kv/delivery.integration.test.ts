/**
 * The lead's check of issue 11 for `vault_kv`: an OUTSCALE key created by the adapter
 * against the OUTSCALE emulator, delivered into the Vault emulator, read back from Vault
 * over its API, signs an OUTSCALE request the emulator accepts. And the rollback: when a
 * later output of the key fails, writeOutputs puts the Vault secret back.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator } from '../../emulators/outscale/index.js';
import { oscCall } from '../../emulators/outscale/testing/client.js';
import { startVaultEmulator } from '../../emulators/vault/index.js';
import type { DesiredKey, OutputSpec } from '../../model/desired.js';
import type { OutputModule } from '../../providers/module.js';
import { CALLER_OWNER, OutscaleAdapter } from '../../providers/outscale/index.js';
import { thrown } from '../../../test/helpers/errors.js';
import { outputContext } from '../../../test/helpers/outputs.js';
import { OUTPUT_ERROR_CODES, OutputError, writeOutputs } from '../index.js';
import { vaultKvOutput } from './index.js';

async function outscaleKey() {
  const osc = await startOutscaleEmulator({ autoCreateUsers: true });
  onTestFinished(() => osc.close());
  const adapter = new OutscaleAdapter({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  onTestFinished(() => adapter.close());
  const { accessKey, secretKey, region } = osc.account;
  await adapter.configure({
    block: { name: 'osc', type: 'outscale', settings: { endpoint: 'sandbox' } },
    baseDir: '/nonexistent',
    env: {},
    sandbox: { url: osc.url, credentials: { access_key: accessKey, secret_key: secretKey, region } },
  });
  const key: DesiredKey = {
    name: 'etl',
    kind: 'outscale.access_key',
    provider: 'osc',
    owner: CALLER_OWNER,
    attributes: { user_name: null, expires_in: null, state: 'ACTIVE' },
    passphrase: { none: true },
    outputs: [],
    dependsOn: [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
  const created = await adapter.create({ key, passphrase: null, token: 'tok-etl', recordIntent: async () => undefined });
  return { osc, created };
}

const vaultSpec = (address: string): OutputSpec => ({
  type: 'vault_kv',
  address,
  mount: 'secret',
  path: 'ci/etl',
  token_env: 'VAULT_TOKEN',
  fields: { access_key: 'OSC_ACCESS_KEY', secret_key: 'OSC_SECRET_KEY', region: 'OSC_REGION' },
});

describe('vault_kv delivery of an OUTSCALE key', () => {
  it('delivers a secret that, read back from Vault, signs an OUTSCALE request', async () => {
    const { osc, created } = await outscaleKey();
    const vault = await startVaultEmulator();
    onTestFinished(() => vault.close());
    const types = new Map<string, OutputModule>([['vault_kv', vaultKvOutput]]);
    const labels = await writeOutputs(
      [vaultSpec(vault.url)],
      created.material,
      outputContext('/nonexistent', 'etl', { types, env: { VAULT_TOKEN: vault.rootToken } }),
    );
    expect(labels).toEqual(['secret/data/ci/etl']);

    const res = await fetch(`${vault.url}/v1/secret/data/ci/etl`, { headers: { 'X-Vault-Token': vault.rootToken } });
    const fields = ((await res.json()) as { data: { data: Record<string, string> } }).data.data;
    expect(Object.keys(fields).sort()).toEqual(['OSC_ACCESS_KEY', 'OSC_REGION', 'OSC_SECRET_KEY']);
    const answer = await oscCall(
      osc.url,
      'ReadAccessKeys',
      {},
      { sign: { accessKey: fields['OSC_ACCESS_KEY'] ?? '', secretKey: fields['OSC_SECRET_KEY'] ?? '', region: fields['OSC_REGION'] ?? '' } },
    );
    expect(answer.status).toBe(200);
    const ids = (answer.body['AccessKeys'] as { AccessKeyId: string }[]).map((k) => k.AccessKeyId);
    expect(ids).toContain(created.live.id);
    // A secret key off by one character is refused: the check above can fail.
    const secret = fields['OSC_SECRET_KEY'] ?? '';
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const refused = await oscCall(
      osc.url,
      'ReadAccessKeys',
      {},
      { sign: { accessKey: created.live.id, secretKey: wrong, region: fields['OSC_REGION'] ?? '' } },
    );
    expect(refused.status).toBe(401);
  });

  it('is put back by writeOutputs when a later output fails: the previous version is current again', async () => {
    const { created } = await outscaleKey();
    const vault = await startVaultEmulator();
    onTestFinished(() => vault.close());
    const prior = await fetch(`${vault.url}/v1/secret/data/ci/etl`, {
      method: 'POST',
      headers: { 'X-Vault-Token': vault.rootToken },
      body: JSON.stringify({ data: { OSC_ACCESS_KEY: 'AKOLD', OSC_SECRET_KEY: 'old-secret' } }),
    });
    expect(prior.status).toBe(200);
    const failing: OutputModule = {
      type: 'late',
      order: 9,
      schema: {},
      summary: 'late',
      describe: () => 'late',
      write: async (spec) => {
        throw new OutputError(spec, 'the store said no', { code: OUTPUT_ERROR_CODES.store, source: 'user', label: 'late' });
      },
    };
    const types = new Map<string, OutputModule>([
      ['vault_kv', vaultKvOutput],
      ['late', failing],
    ]);
    const specs = [{ type: 'late' }, vaultSpec(vault.url)];
    const error = await thrown(writeOutputs(specs, created.material, outputContext('/nonexistent', 'etl', { types, env: { VAULT_TOKEN: vault.rootToken } })));
    expect(error.message).toBe('late output late: the store said no');
    const secret = vault.secret('ci/etl');
    expect(secret?.currentVersion).toBe(3);
    expect(secret?.versions['3']?.data).toEqual({ OSC_ACCESS_KEY: 'AKOLD', OSC_SECRET_KEY: 'old-secret' });
    expect(secret?.versions['2']).toMatchObject({ destroyed: true, data: null });
  });
});
