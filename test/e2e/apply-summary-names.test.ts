/**
 * The end of a partial apply names the keys: which failed, and which were skipped and
 * why (`depends on broken, which failed`; a key further down the chain: `which was
 * skipped`), in the human summary on stdout and in the JSON stream's final
 * `change_summary`, with the same words.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';

const key = (name: string, out: string, deps = ''): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..summary${name}
    passphrase: { env: PASS }
    ${deps}
    outputs: [ { type: file, path: ${out} } ]
`;

function setUp(): string {
  const dir = tempDir();
  // A regular file where the output's folder should be: that key's output cannot be written.
  writeFileSync(path.join(dir, 'blocked'), 'not a folder\n');
  const keys =
    key('broken', 'blocked/broken.pem') +
    key('dependent', 'out/dependent.pem', 'depends_on: [broken]') +
    key('grandchild', 'out/grandchild.pem', 'depends_on: [dependent]') +
    key('independent', 'out/independent.pem');
  writeFileSync(path.join(dir, 'keys.yaml'), `version: 1\nproviders:\n  oci: { type: oci, endpoint: sandbox }\nkeys:\n${keys}`);
  return dir;
}

describe('the apply summary names failed and skipped keys', () => {
  it('lists them under the summary sentence in the human view', async () => {
    const dir = setUp();
    const r = await keyplan(dir, ['apply', '--auto-approve'], { PASS: 'summary-pass' });
    expect(r.code, r.stderr).toBe(4);
    const tail = r.stdout.slice(r.stdout.indexOf('Apply finished with errors.')).split('\n');
    expect(tail).toEqual([
      'Apply finished with errors. Keys: 1 created, 0 rotated, 0 updated, 0 deleted; 1 failed, 2 skipped. State records what succeeded; run keyplan plan to see what is left.',
      '  failed: broken (creation failed)',
      '  skipped: dependent (depends on broken, which failed)',
      '  skipped: grandchild (depends on dependent, which was skipped)',
      '',
    ]);
  }, 60_000);

  it('carries the same in the JSON stream final change_summary', async () => {
    const dir = setUp();
    const r = await keyplan(dir, ['apply', '--auto-approve', '--json'], { PASS: 'summary-pass' });
    expect(r.code, r.stderr).toBe(4);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = lines.at(-1) as Record<string, unknown>;
    expect(last['type']).toBe('change_summary');
    expect(last['failed']).toEqual([
      {
        name: 'broken',
        addr: 'oci.api_key.broken',
        action: 'create',
        error: expect.stringContaining("the new key's secret could not be written to its outputs"),
      },
    ]);
    expect(last['skipped']).toEqual([
      { name: 'dependent', addr: 'oci.api_key.dependent', reason: 'depends on broken, which failed', depends_on: 'broken' },
      { name: 'grandchild', addr: 'oci.api_key.grandchild', reason: 'depends on dependent, which was skipped', depends_on: 'dependent' },
    ]);
    expect(r.stdout).not.toContain('summary-pass');
  }, 60_000);
});
