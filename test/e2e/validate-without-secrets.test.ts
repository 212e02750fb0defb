/**
 * `keyplan validate` needs no secret: a pull-request job runs it with no variable set.
 * `validate --require-env` and `apply` name each unset variable at the keys.yaml line of
 * the field that names it, and never print a value.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';

// Line numbers matter: the assertions below name them.
const CONFIG = `version: 1
state: { backend: postgres, url_env: KP_PG_URL }
providers:
  oci: { type: oci, config_file: oci-config, pass_phrase_env: OCI_SIGNER_PASS }
  dataos: { type: dataos, url: https://acme.dataos.example, token_env: DATAOS_APIKEY }
keys:
  - name: deployer
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..validatesecrets
    passphrase: { env: DEPLOYER_PASS }
    outputs:
      - { type: vault_kv, address: https://vault.example, mount: kv, path: ci/deployer, token_env: VAULT_TOKEN }
  - name: presto
    kind: dataos.api_key
    provider: dataos
    token_name: presto-driver
    duration: 720h
    outputs: [ { type: file, path: out/presto.token } ]
`;

describe('validate without secrets', () => {
  it('passes with no variable set, and --require-env names every unset variable at its line', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), CONFIG);

    const plain = await keyplan(dir, ['validate']);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('Success! keys.yaml is valid: 2 key(s), 2 provider(s).\n');

    const strict = await keyplan(dir, ['validate', '--require-env'], { DATAOS_APIKEY: 'dataos-token-value-never-printed' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr.split('\n')).toEqual([
      'keys.yaml:2:38: state.url_env: environment variable KP_PG_URL is not set (it holds the state database URL)',
      'keys.yaml:4:63: providers.oci.pass_phrase_env: environment variable OCI_SIGNER_PASS is not set (it holds the passphrase of the signing key of provider "oci")',
      'keys.yaml:11:24: keys[0].passphrase.env: environment variable DEPLOYER_PASS is not set (it holds the passphrase of key "deployer")',
      'keys.yaml:13:100: keys[0].outputs[0].token_env: environment variable VAULT_TOKEN is not set (it holds the Vault token of the vault_kv output of key "deployer")',
      'Error: keys.yaml has 4 problems',
      '',
    ]);
    expect(strict.stderr).not.toContain('dataos-token-value-never-printed');
  });

  it('apply refuses to start without a passphrase, naming the variable and its line', async () => {
    const dir = tempDir();
    const config = `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
keys:
  - name: ci
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..applyneedsenv
    passphrase: { env: CI_PASS }
    outputs: [ { type: file, path: out/ci.pem } ]
`;
    writeFileSync(path.join(dir, 'keys.yaml'), config);
    expect((await keyplan(dir, ['validate'])).code).toBe(0);
    const apply = await keyplan(dir, ['apply', '--auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('keys.yaml:9:24: keys[0].passphrase.env: environment variable CI_PASS is not set (it holds the passphrase of key "ci")\n');
    expect(apply.stderr).toContain('Error: set the passphrase variable(s) CI_PASS before apply; nothing was changed\n');
    expect(apply.stdout).not.toContain('Apply complete');
  }, 30_000);

  it('plan names an unset provider credential variable at its line, as validate --require-env does', async () => {
    const dir = tempDir();
    const config = `version: 1
providers:
  dataos: { type: dataos, url: "http://127.0.0.1:9", token_env: DATAOS_APIKEY }
keys:
  - name: presto
    kind: dataos.api_key
    provider: dataos
    outputs: [ { type: file, path: out/presto.token } ]
`;
    writeFileSync(path.join(dir, 'keys.yaml'), config);
    const line = 'keys.yaml:3:65: providers.dataos.token_env: environment variable DATAOS_APIKEY is not set (it holds the API token of provider "dataos")';
    const plan = await keyplan(dir, ['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr.split('\n')[0]).toBe(line);
    expect(plan.stdout).toBe('');
    const strict = await keyplan(dir, ['validate', '--require-env']);
    expect(strict.stderr.split('\n')[0]).toBe(line);
  });
});
