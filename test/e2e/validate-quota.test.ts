/**
 * The per-user quotas are checked from keys.yaml alone: `validate`, with no network, no
 * credential and no variable, refuses a 4th API key for one OCI user (IAM and BDS keys
 * share the 3 slots) and an 11th access key for one OUTSCALE user, at the owner field of
 * each key past the limit. Exactly the limit is fine (a rotation then deletes first).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';

const USER = 'ocid1.user.oc1..quotacheck';
const iam = (name: string): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: PASS }
    outputs: [ { type: file, path: out/${name}.pem } ]
`;
const bds = (name: string): string => `  - name: ${name}
    kind: oci.bds_api_key
    provider: oci
    cluster: ocid1.bigdataservice.oc1.iad.quotacluster
    alias: ${name}
    user: ${USER}
    passphrase: { env: PASS }
`;
const osc = (i: number): string => `  - name: k${i}
    kind: outscale.access_key
    provider: osc
    user_name: crowded
    outputs: [ { type: file, path: out/k${i}.json } ]
`;

// A provider block that could never be reached: validate must not try.
const HEADER = `version: 1
providers:
  oci: { type: oci, config_file: no-such-oci-config, endpoint: "http://127.0.0.1:9" }
  osc: { type: outscale, region: eu-west-2, profile: none, endpoint: "http://127.0.0.1:9" }
keys:
`;

describe('validate checks the declared keys against the providers quotas, offline', () => {
  it('refuses a 4th key for one OCI user, at the user field of the key past the limit', async () => {
    const dir = tempDir();
    // Line 5 is `keys:`; IAM entries are 6 lines, BDS entries 7.
    writeFileSync(path.join(dir, 'keys.yaml'), HEADER + iam('one') + bds('two') + iam('three') + bds('four'));
    const r = await keyplan(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `keys.yaml:30:11: keys[3].user: user ${USER} would need 4 API keys; OCI allows 3 per user (declared: one, two, three, four)`,
      'Error: keys.yaml has 1 problem',
      '',
    ]);
    // plan stops at the same place, before any network call.
    const plan = await keyplan(dir, ['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`keys.yaml:30:11: keys[3].user: user ${USER} would need 4 API keys`);

    writeFileSync(path.join(dir, 'keys.yaml'), HEADER + iam('one') + bds('two') + iam('three'));
    const fits = await keyplan(dir, ['validate']);
    expect(fits.stderr).toBe('');
    expect(fits.code).toBe(0);
  });

  it('refuses an 11th access key for one OUTSCALE user', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), HEADER + Array.from({ length: 11 }, (_, i) => osc(i)).join(''));
    const r = await keyplan(dir, ['validate']);
    expect(r.code).toBe(1);
    const names = Array.from({ length: 11 }, (_, i) => `k${i}`).join(', ');
    // k10 starts at line 6 + 10·5; its user_name is the 4th line of the entry.
    expect(r.stderr).toContain(
      `keys.yaml:59:16: keys[10].user_name: user crowded would need 11 access keys; OUTSCALE allows 10 per user (declared: ${names})\n`,
    );
  });
});
