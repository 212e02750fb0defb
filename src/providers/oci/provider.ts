/**
 * The `oci` provider module: OCI IAM API signing keys and Big Data Service API keys, the
 * `oci_config` output, offline checks, and the Identity + BDS emulator for the sandbox.
 * Cheap to import: the adapter (oci-identity, oci-bds) and the emulator load on first use.
 */
import type { Diagnostic } from '../../errors/diagnostic.js';
import type { ProviderModule } from '../module.js';
import { bdsAliasDiagnostics } from './bds/aliases.js';
import { bdsApiKeyKind } from './bds/kind.js';
import { ociApiKeyKind } from './kind-api-key.js';
import { ociConfigOutput } from './outputs/module.js';
import { ociBlockSchema } from './schema.js';
import { parseOciSettings } from './settings.js';
import { validateOci } from './validate.js';

/** OCI: Identity API keys, BDS API keys, oci_config profiles. */
export const ociProvider: ProviderModule = {
  type: 'oci',
  displayName: 'OCI',
  blockSchema: ociBlockSchema,
  blockDefaults: { config_file: '~/.oci/config', profile: 'DEFAULT' },
  envSettings: { pass_phrase_env: 'the passphrase of the signing key' },
  kinds: [ociApiKeyKind, bdsApiKeyKind],
  outputs: [ociConfigOutput],
  validate: (req): Diagnostic[] => [...validateOci(req), ...bdsAliasDiagnostics(req)],
  limits: (block) => parseOciSettings(block).settings.limits,
  createAdapter: async () => {
    const { createOciAdapter } = await import('./adapter.js');
    return createOciAdapter();
  },
  startSandbox: async (options) => {
    const { startOciEmulator } = await import('../../emulators/oci/index.js');
    const { newKeyAuthFromExtra } = await import('../../emulators/shared/index.js');
    const oci = await startOciEmulator({
      ...newKeyAuthFromExtra(options.extra),
      dataDir: options.dataDir,
      port: options.port,
      latencyMs: options.latencyMs,
      failRate: options.failRate,
      // keys.yaml names users the sandbox has never seen; they exist on first use.
      autoCreateUsers: true,
      // The same endpoint serves BDS (/20190531); keys.yaml's cluster OCIDs exist on first use too.
      bds: { autoCreateClusters: true, failWorkRequests: options.extra?.['bdsFailWorkRequests'] ?? 0 },
    });
    const { tenancy, user, fingerprint, privateKeyPem, region } = oci.admin;
    return { endpoint: { url: oci.url, credentials: { tenancy, user, fingerprint, privateKeyPem, region } }, close: () => oci.close() };
  },
};
