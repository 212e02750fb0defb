/**
 * `keyplan state show NAME` for OCI keys, through the built CLI against the sandbox: an
 * oci.api_key shows its public key (the one matching the delivered private key) and the
 * config snippet of the Console's "View configuration file", key_file pointing at its file
 * output; an oci.bds_api_key shows the same with the placeholder key_file. No private key
 * and no passphrase is printed.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';
import { pemBegin } from '../helpers/pem.js';

const USER = 'ocid1.user.oc1..e2estateshow';
const CLUSTER = 'ocid1.bigdataservice.oc1.iad.e2estateshow';
const PASS = { IAM_PASS: 'state-show-iam-5d1c', BDS_PASS: 'state-show-bds-0a7e' };

const CONFIG = `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
keys:
  - name: deployer
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: IAM_PASS }
    outputs: [ { type: file, path: out/deployer.pem } ]
  - name: etl
    kind: oci.bds_api_key
    provider: oci
    cluster: ${CLUSTER}
    alias: etl
    user: ${USER}
    passphrase: { env: BDS_PASS }
`;

describe('keyplan state show for OCI keys', () => {
  it('prints the public key PEM and the OCI config snippet of an IAM and a BDS key', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), CONFIG);
    const applied = await keyplan(dir, ['apply', '--auto-approve'], PASS);
    expect(applied.code, applied.stderr).toBe(0);
    const state = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8'));

    const iam = await keyplan(dir, ['state', 'show', 'deployer'], PASS);
    expect(iam.code, iam.stderr).toBe(0);
    const privatePem = readFileSync(path.join(dir, 'out', 'deployer.pem'), 'utf8');
    const publicPem = createPublicKey(createPrivateKey({ key: privatePem, passphrase: PASS.IAM_PASS }))
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const fingerprint = state.keys.deployer.current.id as string;
    expect(iam.stdout).toContain(`name        deployer\n`);
    expect(iam.stdout).toContain(`Public key:\n${publicPem.trimEnd()}\n`);
    expect(iam.stdout).toMatch(
      new RegExp(
        `\\nOCI config file \\(as the Console’s "View configuration file" shows it\\):\\n\\[DEFAULT\\]\\nuser=${USER.replace(/\./g, '\\.')}\\nfingerprint=${fingerprint}\\ntenancy=ocid1\\.tenancy\\.\\S+\\nregion=us-ashburn-1\\nkey_file=${path.join(dir, 'out', 'deployer.pem').replace(/[.\\/]/g, '\\$&')}\\n$`,
      ),
    );

    const bds = await keyplan(dir, ['state', 'show', 'etl'], PASS);
    expect(bds.code, bds.stderr).toBe(0);
    expect(bds.stdout).toContain(`Public key:\n${pemBegin('PUBLIC KEY')}\n`);
    expect(bds.stdout).toContain(`fingerprint=${state.keys.etl.current.attributes.fingerprint as string}\n`);
    expect(bds.stdout).toContain(`user=${USER}\n`);
    expect(bds.stdout).toMatch(/\nkey_file=<path to your private key file> # TODO\n$/);

    for (const run of [iam, bds]) {
      expect(run.stdout + run.stderr).not.toContain('PRIVATE KEY');
      for (const secret of Object.values(PASS)) expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });
});
