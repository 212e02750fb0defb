/**
 * `keyplan sandbox serve --new-key-auth-delay MS`: the emulators it starts refuse a newly
 * created key for that long, as OCI does while a new key propagates. Checked on the OCI
 * emulator with the oci adapter's verify, signing as the sandbox's bootstrap admin (whose
 * key and ids the data folder holds), while the admin's own calls keep working.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DesiredKey } from '../../src/model/desired.js';
import { OciAdapter } from '../../src/providers/oci/adapter.js';
import { REPO_ROOT, tempDir } from '../helpers/cli.js';

/** Starts `keyplan sandbox serve` and resolves with the URL it prints for `type`. */
function serve(dir: string, args: readonly string[], type: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'sandbox', 'serve', '--data', dir, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => void child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => l.startsWith(`${type}\t`));
      if (line !== undefined) resolve(line.slice(type.length + 1).trim());
    });
    child.on('exit', (code) => reject(new Error(`sandbox serve exited with ${String(code)}: ${text}`)));
  });
}

describe('keyplan sandbox serve --new-key-auth-delay', () => {
  it('makes the emulators refuse a new key until the delay is over', async () => {
    const dir = tempDir();
    const url = await serve(dir, ['--new-key-auth-delay', '600000'], 'oci');
    const store = JSON.parse(readFileSync(path.join(dir, 'oci', 'store.json'), 'utf8')) as {
      tenancy: string;
      adminUser: string;
      adminFingerprint: string;
      region: string;
    };
    const adapter = new OciAdapter({ pollIntervalMs: 10, maxPollIntervalMs: 20 });
    await adapter.configure({
      block: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox' } },
      baseDir: dir,
      env: {},
      sandbox: {
        url,
        credentials: {
          tenancy: store.tenancy,
          user: store.adminUser,
          fingerprint: store.adminFingerprint,
          privateKeyPem: readFileSync(path.join(dir, 'oci', 'admin-key.pem'), 'utf8'),
          region: store.region,
        },
      },
    });
    onTestFinished(() => adapter.close());
    const user = 'ocid1.user.oc1..e2enewkeyauth';
    const key: DesiredKey = {
      name: 'k',
      kind: 'oci.api_key',
      provider: 'oci',
      owner: user,
      attributes: { user, bits: 2048 },
      passphrase: { none: true },
      outputs: [],
      dependsOn: [],
      rotation: { overlapMs: 0, requireOverlap: false },
    };
    const made = await adapter.create({ key, passphrase: null, token: 't', recordIntent: async () => undefined });
    const result = await adapter.verify({ key, live: made.live, material: made.material, passphrase: null });
    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('401 NotAuthenticated') });
    expect((await adapter.list({ kind: 'oci.api_key', owner: user })).keys.map((k) => k.id)).toEqual([made.live.id]);
  });
});
