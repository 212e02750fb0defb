/**
 * Verification end to end: the built CLI against `keyplan sandbox serve` (its OCI
 * emulator, through the real oci adapter), first with a propagation delay of a few
 * seconds (apply waits and the new key is recorded as verified), then restarted on the
 * same data with new keys that never authenticate: a rotation keeps the old key live
 * and current, apply exits 4 naming the key and the reason, and the next plan shows the
 * rotation as unverified.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';

const PASSPHRASE = 'e2e-Verify-Passphrase-41c7';
const USER = 'ocid1.user.oc1..e2everify';
const ENV = { E2E_PASSPHRASE: PASSPHRASE };

/** Starts `keyplan sandbox serve` and resolves with the OCI emulator's URL; stopped when the test ends. */
function serve(dataDir: string, args: readonly string[]): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'sandbox', 'serve', '--data', dataDir, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = (): void => void child.kill('SIGTERM');
  onTestFinished(stop);
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => l.startsWith('oci\t'));
      if (line !== undefined) resolve({ url: line.slice('oci\t'.length).trim(), stop });
    });
    child.on('exit', (code) => reject(new Error(`sandbox serve exited with ${String(code)}: ${text}`)));
  });
}

/** An OCI config profile signing as the sandbox's bootstrap admin (whose key and ids the data folder holds). */
function writeAdminProfile(dataDir: string, file: string): void {
  const store = JSON.parse(readFileSync(path.join(dataDir, 'oci', 'store.json'), 'utf8')) as {
    tenancy: string;
    adminUser: string;
    adminFingerprint: string;
    region: string;
  };
  const lines = [
    '[DEFAULT]',
    `user=${store.adminUser}`,
    `fingerprint=${store.adminFingerprint}`,
    `tenancy=${store.tenancy}`,
    `region=${store.region}`,
    `key_file=${path.join(dataDir, 'oci', 'admin-key.pem')}`,
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function writeConfig(dir: string, url: string, verifyTimeout: string): void {
  const text = `version: 1
providers:
  oci: { type: oci, endpoint: "${url}", config_file: ./oci-config, profile: DEFAULT }
keys:
  - name: deployer
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: E2E_PASSPHRASE }
    rotation: { overlap: 1d, verify_timeout: ${verifyTimeout} }
    outputs:
      - { type: file, path: out/deployer.pem }
`;
  writeFileSync(path.join(dir, 'keys.yaml'), text);
}

interface StateDoc {
  keys: Record<string, { current: { id: string; verifiedAt?: string }; pending?: { id: string; verifyError?: string }; retiring: { id: string }[] }>;
}
const readState = (dir: string): StateDoc => JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')) as StateDoc;

describe('verifying new keys through the OCI emulator', () => {
  it('waits out a propagation delay, and keeps the old key when a rotated key never authenticates', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const data = path.join(dir, 'sandbox');
    const slow = await serve(data, ['--new-key-auth-delay', '3000']);
    writeAdminProfile(data, path.join(dir, 'oci-config'));
    writeConfig(dir, slow.url, '30s');

    const started = Date.now();
    const created = await keyplan(dir, ['apply', '--auto-approve'], ENV);
    expect(created.stderr).toContain('deployer: creation complete');
    expect(created.code).toBe(0);
    // Three seconds of 401s before the key authenticated; apply waited for them.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    const first = readState(dir).keys['deployer'];
    expect(first?.current.verifiedAt).toBeDefined();
    const old = first?.current.id as string;
    const oldPem = readFileSync(path.join(dir, 'out', 'deployer.pem'), 'utf8');

    // The same data, now creating keys that never authenticate.
    slow.stop();
    const never = await serve(data, ['--new-keys-never-authenticate']);
    writeConfig(dir, never.url, '3s');
    const rotated = await keyplan(dir, ['apply', '--auto-approve', '--rotate', 'deployer'], ENV);
    expect(rotated.code).toBe(4);
    expect(rotated.stderr).toMatch(/deployer: the new key \S+ did not authenticate within 3s: ListApiKeys signed with the new key: 401 NotAuthenticated/);
    expect(rotated.stderr).toContain('the old key stays current and the next apply verifies the new one again');
    const after = readState(dir).keys['deployer'];
    expect(after?.current.id).toBe(old);
    expect(after?.retiring).toEqual([]);
    expect(after?.pending?.id).toBeDefined();
    expect(after?.pending?.id).not.toBe(old);

    const plan = await keyplan(dir, ['plan'], ENV);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`oci.api_key.deployer rotation is unverified: new key ${after?.pending?.id ?? '?'} is verified again`);
    expect(plan.stdout).toMatch(/pending \S+: unverified/);
    // The old key is still live at the provider.
    expect(plan.stdout).not.toContain(`${old} recorded in state no longer exists`);

    const texts = [
      created.stdout,
      created.stderr,
      rotated.stdout,
      rotated.stderr,
      plan.stdout,
      plan.stderr,
      readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8'),
    ];
    const body = oldPem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----') && !l.includes(':'));
    for (const text of texts) {
      expect(text).not.toContain(PASSPHRASE);
      for (const line of body.slice(0, 3)) expect(text).not.toContain(line);
    }
  });
});
