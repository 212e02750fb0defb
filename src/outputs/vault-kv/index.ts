/**
 * The `vault_kv` output: delivers a new key's values and secrets into HashiCorp Vault or
 * OpenBao, KV secrets engine version 2, as a new version of one secret written with
 * check-and-set, read back to confirm, and put back as it was when a later output of the
 * key fails (write.ts, undo.ts). The token comes from the environment variable the entry
 * names and is never printed. `address: sandbox` writes to the sandbox's Vault emulator.
 *
 * Cheap to import: the emulator loads only in `startSandbox`.
 */
import type { OutputModule } from '../../providers/module.js';
import { OUTPUT_ORDER } from '../order.js';
import { describeVaultKv, SANDBOX_ADDRESS, vaultKvOutputSchema, vaultKvSettings } from './schema.js';
import { writeVaultKvOutput } from './write.js';

export { SANDBOX_ADDRESS, vaultKvOutputSchema, type VaultKvSettings } from './schema.js';

/** `vault_kv`: a new version of a Vault / OpenBao KV v2 secret holding the key's values and secrets. */
export const vaultKvOutput: OutputModule = {
  type: 'vault_kv',
  summary:
    '`vault_kv`: a new version of a HashiCorp Vault or OpenBao KV version 2 secret (check-and-set, read back to confirm; a rollback makes the previous version current again, or deletes a secret keyplan created).',
  schema: vaultKvOutputSchema,
  order: OUTPUT_ORDER.vaultKv,
  describe: describeVaultKv,
  // Two outputs writing one secret would each overwrite the other's version.
  destination: (spec) => `${describeVaultKv(spec)} at ${vaultKvSettings(spec).address}`,
  write: writeVaultKvOutput,
  envSettings: (spec) => {
    const s = vaultKvSettings(spec);
    return s.address === SANDBOX_ADDRESS || s.tokenEnv === undefined ? [] : [{ field: 'token_env', holds: 'the Vault token' }];
  },
  usesSandbox: (spec) => vaultKvSettings(spec).address === SANDBOX_ADDRESS,
  startSandbox: async (options) => {
    const { startVaultEmulator } = await import('../../emulators/vault/index.js');
    const failWrites = options.extra?.['vaultFailWrites'] ?? 0;
    // Holds the root token and the delivered secrets: the store file is written with mode 0600.
    const emulator = await startVaultEmulator({
      dataDir: options.dataDir,
      port: options.port,
      latencyMs: options.latencyMs,
      failRate: options.failRate,
      ...(failWrites > 0 ? { failWrites: { status: options.extra?.['vaultFailStatus'] ?? 503, count: failWrites } } : {}),
    });
    return { endpoint: { url: emulator.url, credentials: { token: emulator.rootToken } }, close: () => emulator.close() };
  },
};
