/**
 * The lead's check of issue 11: an OCI key created by the OCI adapter against the OCI
 * emulator, delivered by writeOutputs to a `github_secret` in the sandbox's GitHub
 * emulator, is decrypted there, and the PEM that arrived signs an OCI SDK request that
 * the OCI emulator accepts as the key's user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import * as identity from 'oci-identity';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startGithubEmulator } from '../../emulators/github/index.js';
import { startOciEmulator } from '../../emulators/oci/index.js';
import type { DesiredKey, OutputSpec } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { SandboxEndpoint } from '../../providers/contract.js';
import { OciAdapter } from '../../providers/oci/adapter.js';
import { writeOutputs } from '../index.js';
import { githubSecretOutput } from './index.js';
import { pemBegin } from '../../../test/helpers/pem.js';

const PASS = 'github delivered passphrase';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-github-oci-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('an OCI key delivered to a GitHub secret', () => {
  it('arrives as the PEM, which authenticates through the OCI SDK', async () => {
    const oci = await startOciEmulator({ autoCreateUsers: true });
    onTestFinished(() => oci.close());
    const adapter = new OciAdapter({ pollIntervalMs: 20, maxPollIntervalMs: 50, activeTimeoutMs: 5_000 });
    await adapter.configure({
      block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox' } },
      baseDir: tmpdir(),
      env: {},
      sandbox: { url: oci.url, credentials: { ...oci.admin } },
    });
    onTestFinished(() => adapter.close());
    const user = 'ocid1.user.oc1..githubdelivered';
    const output: OutputSpec = { type: 'github_secret', api_url: 'sandbox', repository: 'octo/deploy', environment: 'production', name: 'OCI_API_KEY' };
    const key: DesiredKey = {
      name: 'deploy',
      kind: 'oci.api_key',
      provider: 'oci',
      owner: user,
      attributes: { user, bits: 2048 },
      passphrase: { env: 'PASS' },
      outputs: [output],
      dependsOn: [],
      rotation: { overlapMs: 0, requireOverlap: false },
    };
    const { live, material } = await adapter.create({ key, passphrase: new Secret(PASS), token: 'tok-deploy', recordIntent: async () => {} });

    // The engine's part: start the output type's emulator once and hand its endpoint over.
    const dataDir = tempDir();
    let endpoint: SandboxEndpoint | undefined;
    const written = await writeOutputs([output], material, {
      baseDir: tempDir(),
      keyName: key.name,
      kind: key.kind,
      owner: user,
      liveId: live.id,
      types: new Map([[githubSecretOutput.type, githubSecretOutput]]),
      env: {},
      sandboxFor: async () => {
        const service = await githubSecretOutput.startSandbox?.({ dataDir, port: 0, latencyMs: 0, failRate: 0 });
        if (service === undefined) throw new Error('Expected github_secret to start a sandbox');
        onTestFinished(() => service.close());
        endpoint = service.endpoint;
        return service.endpoint;
      },
    });
    expect(written).toEqual(['octo/deploy environment production OCI_API_KEY']);
    expect(endpoint).toBeDefined();

    // A second emulator on the same data folder reads what the first decrypted.
    const gh = await startGithubEmulator({ dataDir });
    onTestFinished(() => gh.close());
    const pem = gh.secretValue({ repository: 'octo/deploy', environment: 'production' }, 'OCI_API_KEY');
    expect(pem).toBe(material.file.reveal());
    expect(pem?.startsWith(pemBegin('ENCRYPTED PRIVATE KEY'))).toBe(true);

    const { tenancy, region, fingerprint } = material.values;
    const auth = new common.SimpleAuthenticationDetailsProvider(
      tenancy ?? '',
      user,
      fingerprint ?? '',
      pem ?? '',
      PASS,
      common.Region.fromRegionId(region ?? ''),
    );
    const client = new identity.IdentityClient(
      { authenticationDetailsProvider: auth },
      { retryConfiguration: common.NoRetryConfigurationDetails, circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) },
    );
    onTestFinished(() => client.close());
    client.endpoint = oci.url;
    const own = await client.listApiKeys({ userId: user });
    expect(own.items.map((k) => k.fingerprint)).toEqual([fingerprint]);
  });
});
