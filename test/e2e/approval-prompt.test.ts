/** The apply prompt through the built CLI: a piped answer counts unless CI is set; end of input cancels. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

async function project(): Promise<string> {
  const dir = tempDir();
  const emulator = await startOciEmulator({ autoCreateUsers: true });
  onTestFinished(() => emulator.close());
  writeFileSync(
    path.join(dir, 'keys.yaml'),
    `version: 1\nproviders:\n  ${ociProviderFor(dir, emulator)}\nkeys:\n  - { name: a, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..a, passphrase: none, outputs: [ { type: file, path: out/a.pem } ] }\n`,
  );
  return dir;
}

describe('the apply prompt', () => {
  it('cancels at end of input, refuses under CI, and takes a piped "yes"', async () => {
    const dir = await project();
    const eof = await keyplan(dir, ['apply']);
    expect(eof.code).toBe(1);
    expect(eof.stderr).toContain('Apply cancelled.');
    expect(eof.stderr).not.toContain('This is a bug in keyplan');

    const ci = await keyplan(dir, ['apply'], { CI: 'true' }, 'yes\n');
    expect(ci.code).toBe(1);
    expect(ci.stderr).toContain('pass --auto-approve');

    const yes = await keyplan(dir, ['apply'], {}, 'yes\n');
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout + yes.stderr).toContain('1 created');
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
  }, 60_000);
});
