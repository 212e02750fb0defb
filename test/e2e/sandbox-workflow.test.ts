/**
 * The README walk-through, end to end, with the built CLI against the sandbox: plan,
 * apply, plan again (no changes), rotate, remove a key, and at every step no secret in
 * state, stdout, stderr or the debug log.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';

const PASSPHRASE = 'e2e-Passphrase-7f3a9c';

const config = (keys: string): string => `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
keys:
${keys}`;

const DEPLOYER = `  - name: deployer
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..e2edeployer
    passphrase: { env: E2E_PASSPHRASE }
    outputs:
      - { type: file, path: out/deployer.pem }
      - { type: oci_config, path: out/oci-config, profile: DEPLOYER }
`;
const READER = `  - name: reader
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..e2edeployer
    passphrase: { env: E2E_PASSPHRASE }
    depends_on: [deployer]
    outputs:
      - { type: file, path: out/reader.pem }
`;

/** The fingerprint openssl computes for an encrypted private key file: MD5 of the SPKI DER. */
function opensslFingerprint(pemFile: string): string {
  const der = execFileSync('openssl', ['pkey', '-in', pemFile, '-passin', `env:OPENSSL_PASS`, '-pubout', '-outform', 'DER'], {
    env: { ...process.env, OPENSSL_PASS: PASSPHRASE },
  });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

function expectNoSecrets(dir: string, runs: readonly CliRun[], secrets: readonly string[]): void {
  const texts = runs.flatMap((r) => [r.stdout, r.stderr]);
  for (const f of ['.keyplan/state.json', 'debug.log']) if (existsSync(path.join(dir, f))) texts.push(readFileSync(path.join(dir, f), 'utf8'));
  for (const text of texts) {
    expect(text).not.toContain('PRIVATE KEY');
    for (const s of secrets) expect(text).not.toContain(s);
  }
}

describe('keyplan CLI against the sandbox', () => {
  it('plans, applies, converges, rotates and deletes without leaking a secret', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, config(DEPLOYER + READER));
    const env = { E2E_PASSPHRASE: PASSPHRASE, KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: path.join(dir, 'debug.log') };
    const runs: CliRun[] = [];
    const run = async (args: string[], extra: Record<string, string> = env): Promise<CliRun> => {
      const r = await keyplan(dir, args, extra);
      runs.push(r);
      return r;
    };

    const plan1 = await run(['plan'], {});
    expect(plan1.stderr).toContain('E2E_PASSPHRASE');
    expect(plan1.code, plan1.stderr).toBe(0);
    expect(plan1.stdout).toContain('Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.');

    const apply1 = await run(['apply', '--auto-approve']);
    expect(apply1.code, apply1.stderr).toBe(0);
    expect(apply1.stdout).toContain('Apply complete! Keys: 2 created, 0 rotated, 0 updated, 0 deleted.');
    const pem = path.join(dir, 'out', 'deployer.pem');
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'out', 'oci-config')).mode & 0o777).toBe(0o600);
    const fingerprint = opensslFingerprint(pem);
    expect(apply1.stderr).toContain(`deployer: creation complete after`);
    expect(apply1.stderr).toContain(`[id=${fingerprint}]`);
    expect(readFileSync(path.join(dir, 'out', 'oci-config'), 'utf8')).toContain(`fingerprint=${fingerprint}`);
    const state = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8'));
    expect(state.keys.deployer.current.id).toBe(fingerprint);

    const plan2 = await run(['plan', '--detailed-exitcode']);
    expect(plan2.code, plan2.stdout + plan2.stderr).toBe(0);
    expect(plan2.stdout).toContain('No changes.');

    const rotatePlan = await run(['plan', '--rotate', 'deployer', '--detailed-exitcode']);
    expect(rotatePlan.code).toBe(2);
    expect(rotatePlan.stdout).toContain('Plan: 0 to create, 1 to rotate, 0 to update, 0 to delete.');
    const rotate = await run(['apply', '--auto-approve', '--rotate', 'deployer']);
    expect(rotate.code, rotate.stderr).toBe(0);
    const rotated = opensslFingerprint(pem);
    expect(rotated).not.toBe(fingerprint);
    expect(rotate.stderr).toContain(`[id=${rotated}]`);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);

    writeFileSync(file, config(DEPLOYER));
    const removePlan = await run(['plan', '--detailed-exitcode']);
    expect(removePlan.code).toBe(2);
    expect(removePlan.stdout).toContain('Plan: 0 to create, 0 to rotate, 0 to update, 1 to delete.');
    const remove = await run(['apply', '--auto-approve']);
    expect(remove.code, remove.stderr).toBe(0);
    expect((await run(['state', 'list'])).stdout.trim().split('\n')).toEqual([`deployer\toci.api_key\t${rotated}`]);

    const debugLog = readFileSync(path.join(dir, 'debug.log'), 'utf8');
    expect(debugLog).toContain('"message":"key created"');
    expect(debugLog).toContain('"message":"outputs written"');
    const keyBody = readFileSync(pem, 'utf8')
      .split('\n')
      .filter((l) => l.length > 40)
      .slice(0, 3);
    expectNoSecrets(dir, runs, [PASSPHRASE, ...keyBody]);
  }, 120_000);

  it('reports every config problem with file:line:col and exits 1 without touching anything', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config(DEPLOYER.replace('user:', 'usr:')));
    const r = await keyplan(dir, ['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/keys\.yaml:\d+:\d+: keys\[0\]/);
    expect(existsSync(path.join(dir, '.keyplan'))).toBe(false);
  });

  it('refuses to apply without approval when no one can answer', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config(DEPLOYER));
    const r = await keyplan(dir, ['apply'], { E2E_PASSPHRASE: PASSPHRASE, CI: 'true' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('refuses to apply when a passphrase variable is missing, naming it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config(DEPLOYER));
    const r = await keyplan(dir, ['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E2E_PASSPHRASE');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
