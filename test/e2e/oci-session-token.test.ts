/**
 * Session-token OCI profiles end to end: the built CLI against `keyplan sandbox serve`.
 * `keyplan sandbox session-token` writes a profile as `oci session authenticate` does
 * (security_token_file, the session key, no user); plan and apply sign with it through
 * the SDK's session provider, acting as the token's user. A tampered token gets the
 * emulator's 401 body plus what renews the session; an expired one is refused before
 * any request, naming the config file and profile. No message shows the token.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';
import { readEmulatorStore } from '../helpers/emulator-store.js';

const PASSPHRASE = 'e2e-Session-Passphrase-93b1';
const USER = 'ocid1.user.oc1..e2esession';
const ENV = { E2E_PASSPHRASE: PASSPHRASE };

/** Starts `keyplan sandbox serve` and resolves with the OCI emulator's URL; stopped when the test ends. */
function serve(dataDir: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'sandbox', 'serve', '--data', dataDir], {
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => void child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => l.startsWith('oci\t'));
      if (line !== undefined) resolve(line.slice('oci\t'.length).trim());
    });
    child.on('exit', (code) => reject(new Error(`sandbox serve exited with ${String(code)}: ${text}`)));
  });
}

function writeConfig(dir: string, url: string): void {
  const text = `version: 1
providers:
  oci: { type: oci, endpoint: "${url}", config_file: ./oci-config, profile: SESSION }
keys:
  - name: deployer
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: E2E_PASSPHRASE }
    outputs:
      - { type: file, path: out/deployer.pem }
`;
  writeFileSync(path.join(dir, 'keys.yaml'), text);
}

/** The token with some payload claims changed, its signature kept. */
function tampered(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}

describe('an OCI session-token profile against the sandbox', () => {
  it('plans and applies as the token user; a tampered or expired token is refused clearly', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const data = path.join(dir, 'sandbox');
    const url = await serve(data);
    const config = path.join(dir, 'oci-config');
    const minted = await keyplan(dir, ['sandbox', 'session-token', '--data', data, '--profile', 'SESSION', '--user', USER, '--config-file', config]);
    expect(minted.stderr).toBe('');
    expect(minted.stdout).toMatch(new RegExp(`^Wrote profile \\[SESSION\\] of ${config}: a session token for user ${USER} \\(expires \\S+Z\\)\\.\\n$`));
    const profile = readFileSync(config, 'utf8');
    expect(profile).toContain('security_token_file=');
    expect(profile).not.toMatch(/^user=/m);
    writeConfig(dir, url);

    const plan = await keyplan(dir, ['plan'], ENV);
    expect(plan.stderr).not.toContain('401');
    expect(plan.code).toBe(0);
    // Results only: the SDK's config reader would print "No DEFAULT profile was specified" here.
    expect(plan.stdout).toMatch(/^Key actions are indicated/);
    expect(plan.stdout).toContain('oci.api_key.deployer will be created');
    const applied = await keyplan(dir, ['apply', '--auto-approve'], ENV);
    expect(applied.stderr).toContain('deployer: creation complete');
    expect(applied.code).toBe(0);
    const state = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')) as { keys: Record<string, { current: { id: string } }> };
    const store = readEmulatorStore<{ users: Record<string, { keys: { fingerprint: string }[] }> }>(data, 'oci');
    // The key exists at the emulator under the token's user.
    expect(store.users[USER]?.keys.map((k) => k.fingerprint)).toEqual([state.keys['deployer']?.current.id]);

    const tokenFile = path.join(dir, 'sessions', 'SESSION', 'token');
    const token = readFileSync(tokenFile, 'utf8');
    writeFileSync(tokenFile, tampered(token, { sub: 'ocid1.user.oc1..someoneelse' }));
    const refused = await keyplan(dir, ['plan'], ENV);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `ListApiKeys for user ${USER}: 401 NotAuthenticated: The required information to complete authentication was not provided or was incorrect.`,
    );
    expect(refused.stderr).toContain(
      `OCI refused the session token of profile [SESSION] of ${config}; if it was revoked or has expired, run \`oci session refresh --profile SESSION\``,
    );

    writeFileSync(tokenFile, tampered(token, { exp: Math.floor(Date.now() / 1000) - 60 }));
    const expired = await keyplan(dir, ['plan'], ENV);
    expect(expired.code).not.toBe(0);
    expect(expired.stderr).toMatch(new RegExp(`OCI config profile \\[SESSION\\] of ${config}: the session token in ${tokenFile} expired at \\S+Z; run`));

    for (const run of [minted, plan, applied, refused, expired]) {
      expect(run.stdout + run.stderr).not.toContain(token.split('.')[1]?.slice(0, 24) ?? 'no token');
      expect(run.stdout + run.stderr).not.toContain(PASSPHRASE);
    }
  });
});
