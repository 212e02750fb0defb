/**
 * A partial apply: one key's output cannot be written. That key is deleted again (no
 * key without a holder of its secret), its dependent is skipped, an independent key is
 * created, apply exits 4, and the next apply finishes the job once the path is fixed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';

const key = (name: string, out: string, deps = ''): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..partial${name}
    passphrase: { env: PASS }
    ${deps}
    outputs: [ { type: file, path: ${out} } ]
`;

describe('a partial apply', () => {
  it('exits 4, skips dependents, leaves no orphan key, and converges on the next apply', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'blocked'), 'a regular file where a folder is needed\n');
    const keys =
      key('broken', 'blocked/broken.pem') + key('dependent', 'out/dependent.pem', 'depends_on: [broken]') + key('independent', 'out/independent.pem');
    writeFileSync(path.join(dir, 'keys.yaml'), `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n${keys}`);
    const env = { PASS: 'partial-apply-passphrase' };

    const first = await keyplan(dir, ['apply', '--auto-approve'], env);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stderr).toContain("broken: creation failed: broken: the new key's secret could not be written to its outputs, so the key was deleted again");
    expect(first.stderr).toContain('dependent: skipped (depends on oci.api_key.broken, which did not complete)');
    expect(first.stderr).toContain('independent: creation complete');
    expect(first.stdout).toContain('Apply finished with errors. Keys: 1 created, 0 rotated, 0 updated, 0 deleted; 1 failed, 1 skipped.');
    expect(first.stderr).not.toContain('partial-apply-passphrase');

    // The failed key was deleted at the provider: nothing is unmanaged, two keys remain to create.
    const plan = await keyplan(dir, ['plan'], env);
    expect(plan.stdout).toContain('Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(plan.stdout).not.toContain('Unmanaged');

    rmSync(path.join(dir, 'blocked'));
    mkdirSync(path.join(dir, 'blocked'));
    const second = await keyplan(dir, ['apply', '--auto-approve'], env);
    expect(second.code, second.stderr).toBe(0);
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'], env)).code).toBe(0);
  }, 60_000);
});
