/**
 * What apply delivers is usable: the PEM and OCI config profile keyplan wrote sign a
 * request that the emulator accepts as that user. And the per-user quota is enforced
 * at plan time, before any provider call changes anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as common from 'oci-common';
import * as identity from 'oci-identity';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSandbox } from '../../src/emulators/sandbox.js';
import { keyplan, tempDir } from '../helpers/cli.js';

const PASSPHRASE = 'delivered-key-passphrase';

const key = (name: string, user: string): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ${user}
    passphrase: { env: PASS }
    outputs:
      - { type: file, path: out/${name}.pem }
      - { type: oci_config, path: out/config, profile: ${name.toUpperCase()} }
`;

function profile(configText: string, name: string): Record<string, string> {
  const section = configText.split(`[${name}]\n`)[1]?.split('\n\n')[0] ?? '';
  return Object.fromEntries(
    section
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => l.split('=', 2) as [string, string]),
  );
}

describe('delivered keys', () => {
  it('sign requests the provider accepts, through the OCI SDK', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'keys.yaml'),
      `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n${key('svc', 'ocid1.user.oc1..delivered')}`,
    );
    const apply = await keyplan(dir, ['apply', '--auto-approve'], { PASS: PASSPHRASE });
    expect(apply.code, apply.stderr).toBe(0);

    const p = profile(readFileSync(path.join(dir, 'out', 'config'), 'utf8'), 'SVC');
    expect(p.user).toBe('ocid1.user.oc1..delivered');
    const pem = readFileSync(p.key_file as string, 'utf8');
    const sandbox = await startSandbox({ dataDir: path.join(dir, '.keyplan', 'sandbox') });
    onTestFinished(() => sandbox.close());
    const auth = new common.SimpleAuthenticationDetailsProvider(
      p.tenancy as string,
      p.user as string,
      p.fingerprint as string,
      pem,
      PASSPHRASE,
      common.Region.fromRegionId(p.region as string),
    );
    const client = new identity.IdentityClient(
      { authenticationDetailsProvider: auth },
      { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) },
    );
    client.endpoint = (sandbox.endpoints.oci as { url: string }).url;
    const own = await client.listApiKeys({ userId: p.user as string, retryConfiguration: common.NoRetryConfigurationDetails });
    expect(own.items.map((k) => k.fingerprint)).toEqual([p.fingerprint]);
    client.close();
  });

  it('a config needing a 4th key for one user is refused at plan time, naming the keys', async () => {
    const dir = tempDir();
    const user = 'ocid1.user.oc1..crowded';
    writeFileSync(
      path.join(dir, 'keys.yaml'),
      `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n${['a', 'b', 'c', 'd'].map((n) => key(n, user)).join('')}`,
    );
    const plan = await keyplan(dir, ['plan'], { PASS: PASSPHRASE });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('user ocid1.user.oc1..crowded would need 4 API keys; OCI allows 3 per user (declared: a, b, c, d)');
    const apply = await keyplan(dir, ['apply', '--auto-approve'], { PASS: PASSPHRASE });
    expect(apply.code).toBe(1);
    expect(apply.stdout).not.toContain('Apply complete');
  });
});
