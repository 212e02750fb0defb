/**
 * A wrong owner fails `keyplan plan` (and `apply`, which plans first) at the keys.yaml
 * line of every key that names it, instead of a bare provider error: an OCI user OCID
 * ListApiKeys answers 404 for (IAM keys and the BDS keys whose slots it holds), an
 * OUTSCALE EIM user ReadAccessKeys does not know, a DataOS user whose tokens are 404.
 * Each emulator is started without auto-created users, so only the registered ones exist.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDataosEmulator } from '../../src/emulators/dataos/index.js';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { startOutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

const WRONG_OCID = 'ocid1.user.oc1..e2etypouser';

function write(dir: string, provider: string, keys: string): void {
  // Line 4 is `keys:`, so the first key entry starts at line 5.
  writeFileSync(path.join(dir, 'keys.yaml'), `version: 1\nproviders:\n  ${provider}\nkeys:\n${keys}`);
}

describe('an owner the provider does not know is named at its keys.yaml line', () => {
  it('OCI: a user OCID ListApiKeys answers 404 for, on the IAM key and on the BDS key of that user', async () => {
    const emu = await startOciEmulator();
    onTestFinished(() => emu.close());
    emu.addCluster('ocid1.bigdataservice.oc1.iad.e2eownercluster');
    const dir = tempDir();
    write(
      dir,
      ociProviderFor(dir, emu),
      `  - name: good
    kind: oci.api_key
    provider: oci
    user: ${emu.admin.user}
    passphrase: { env: PASS }
    outputs: [ { type: file, path: out/good.pem } ]
  - name: typo
    kind: oci.api_key
    provider: oci
    user: ${WRONG_OCID}
    passphrase: { env: PASS }
    outputs: [ { type: file, path: out/typo.pem } ]
  - name: analytics
    kind: oci.bds_api_key
    provider: oci
    cluster: ocid1.bigdataservice.oc1.iad.e2eownercluster
    alias: analytics
    user: ${WRONG_OCID}
    passphrase: { env: PASS }
`,
    );
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const r = await keyplan(dir, command, { PASS: 'owner-not-found-pass' });
      expect(r.code, r.stderr).toBe(1);
      const why = `OCI user ${WRONG_OCID} not found (ListApiKeys answered 404 NotAuthorizedOrNotFound: no such user, or provider "oci" may not read its API keys)`;
      const lines = r.stderr.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^keys\\.yaml:14:11: keys\\[1\\]\\.user: ${escape(why)} \\(opc-request-id \\S+\\)$`));
      expect(lines[1]).toMatch(new RegExp(`^keys\\.yaml:22:11: keys\\[2\\]\\.user: ${escape(why)}`));
      expect(lines).toContain('Error: 2 keys name a user the provider does not know');
      expect(r.stdout).not.toContain('Apply complete');
    }
    expect(emu.requestLog.filter((q) => q.method === 'POST')).toEqual([]);
  }, 60_000);

  it('OUTSCALE: an EIM user ReadAccessKeys does not know', async () => {
    const emu = await startOutscaleEmulator();
    onTestFinished(() => emu.close());
    emu.addUser('etl-bot');
    const dir = tempDir();
    const key = (name: string, user: string): string => `  - name: ${name}
    kind: outscale.access_key
    provider: osc
    user_name: ${user}
    outputs: [ { type: file, path: out/${name}.json } ]
`;
    write(dir, `osc: { type: outscale, region: eu-west-2, endpoint: "${emu.url}/api/v1" }`, key('etl', 'etl-bot') + key('typo', 'etl-bto'));
    const env = { OSC_ACCESS_KEY: emu.account.accessKey, OSC_SECRET_KEY: emu.account.secretKey };
    const r = await keyplan(dir, ['plan'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^keys\.yaml:13:16: keys\[1\]\.user_name: OUTSCALE EIM user etl-bto not found \(ReadAccessKeys answered 400 5075\)( \(RequestId \S+\))?$/,
    );
    expect(r.stderr).toContain('Error: a key names a user_name the provider does not know');
    expect(r.stdout + r.stderr).not.toContain(emu.account.secretKey);
  }, 60_000);

  it('DataOS: a user whose tokens Heimdall answers 404 for', async () => {
    const emu = await startDataosEmulator();
    onTestFinished(() => emu.close());
    await emu.addUser('svc-spark');
    const dir = tempDir();
    const key = (name: string, user: string): string => `  - name: ${name}
    kind: dataos.api_key
    provider: dataos
    user: ${user}
    outputs: [ { type: file, path: out/${name}.token } ]
`;
    write(dir, `dataos: { type: dataos, url: "${emu.url}", token_env: DATAOS_APIKEY }`, key('spark', 'svc-spark') + key('typo', 'svc-sprak'));
    const r = await keyplan(dir, ['plan'], { DATAOS_APIKEY: emu.bootstrap.token });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('keys.yaml:13:11: keys[1].user: DataOS user svc-sprak not found (ListTokens answered 404: user svc-sprak not found)');
    expect(r.stderr).toContain('Error: a key names a user the provider does not know');
    expect(r.stdout + r.stderr).not.toContain(emu.bootstrap.token);
  }, 60_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
