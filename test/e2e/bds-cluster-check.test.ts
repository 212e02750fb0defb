/**
 * A wrong BDS cluster OCID fails `keyplan plan` with the keys.yaml position of the
 * `cluster` field of every key that names it (GetBdsInstance at plan time), instead of a
 * CreateBdsApiKey failing in apply; with the right OCID the same config plans. The
 * emulator is started here without auto-created clusters, so only the registered one exists.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOciEmulator, type OciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

const GOOD = 'ocid1.bigdataservice.oc1.iad.e2egoodcluster';
const WRONG = 'ocid1.bigdataservice.oc1.iad.e2etypocluster';
const USER = 'ocid1.user.oc1..e2eclustercheck';

const bds = (name: string, cluster: string): string => `  - name: ${name}
    kind: oci.bds_api_key
    provider: oci
    cluster: ${cluster}
    alias: ${name}
    user: ${USER}
    passphrase: { env: BDS_PASS }
`;

let emu: OciEmulator;
beforeAll(async () => {
  emu = await startOciEmulator({ autoCreateUsers: true });
  emu.addCluster(GOOD);
});
afterAll(async () => {
  await emu?.close();
});

describe('plan checks that each declared BDS cluster exists', () => {
  it('names the keys.yaml line and field of every key on a cluster GetBdsInstance does not find', async () => {
    const dir = tempDir();
    const provider = ociProviderFor(dir, emu);
    const file = path.join(dir, 'keys.yaml');
    // Line numbers: version 1, providers 2, provider 3, keys 4; each key entry is 7 lines from line 5.
    writeFileSync(file, `version: 1\nproviders:\n  ${provider}\nkeys:\n${bds('etl', GOOD)}${bds('report', WRONG)}${bds('audit', WRONG)}`);

    const plan = await keyplan(dir, ['plan'], { BDS_PASS: 'unused-here' });
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    const lines = plan.stderr.trim().split('\n');
    const why = `BDS cluster ${WRONG} cannot hold keys: GetBdsInstance answered 404 NotAuthorizedOrNotFound: no such cluster, or provider "oci" may not read it`;
    expect(lines[0]).toMatch(new RegExp(`^keys\\.yaml:15:14: keys\\[1\\]\\.cluster: ${escape(why)} \\(opc-request-id \\S+\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^keys\\.yaml:22:14: keys\\[2\\]\\.cluster: ${escape(why)}`));
    expect(lines).toContain('Error: 2 keys name a cluster the provider does not know');
    expect(plan.stdout).not.toContain('Plan:');
    // Nothing was attempted: no create reached the service.
    expect(emu.requestLog.filter((r) => r.method === 'POST')).toEqual([]);

    writeFileSync(file, `version: 1\nproviders:\n  ${provider}\nkeys:\n${bds('etl', GOOD)}${bds('report', GOOD)}`);
    const fixed = await keyplan(dir, ['plan'], { BDS_PASS: 'unused-here' });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
