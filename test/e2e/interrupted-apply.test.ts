/**
 * A killed apply: the CLI is SIGKILLed after the provider created a key but before the
 * state recorded it. The journal entry written before the upload lets the next plan find
 * that key and delete it (its private key never reached an output), so no key keyplan
 * created is left unrecorded. The dead run's lock is reported with its ID and removed
 * with force-unlock, as in Terraform.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, REPO_ROOT, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

const USER = 'ocid1.user.oc1..crashtest';

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an apply killed between the provider call and the state write', () => {
  it('is found by the next plan, which deletes the unrecorded key', async () => {
    const dir = tempDir();
    // Keys stay CREATING for a while, so the kill lands while keyplan waits for ACTIVE.
    const emulator = await startOciEmulator({ autoCreateUsers: true, activateAfterMs: 4_000 });
    onTestFinished(() => emulator.close());
    writeFileSync(
      path.join(dir, 'keys.yaml'),
      `version: 1
providers:
  ${ociProviderFor(dir, emulator)}
keys:
  - name: job
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: JOB_PASSPHRASE }
    outputs: [ { type: file, path: out/job.pem } ]
`,
    );
    const env = { JOB_PASSPHRASE: 'crash-test-passphrase' };

    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'keyplan.js'), 'apply', '--auto-approve'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    const statePath = path.join(dir, '.keyplan', 'state.json');
    const liveId = await waitFor(() => {
      if (!existsSync(statePath)) return undefined;
      const intent = (JSON.parse(readFileSync(statePath, 'utf8')) as { intents: { liveId?: string }[] }).intents[0];
      return intent?.liveId && emulator.listKeys(USER).some((k) => k.fingerprint === intent.liveId) ? intent.liveId : undefined;
    }, 20_000);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(path.join(dir, 'out', 'job.pem'))).toBe(false);

    const locked = await keyplan(dir, ['plan'], env);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('state is locked by');
    const lockId = /force-unlock ([0-9a-f-]{36})/.exec(locked.stderr)?.[1];
    expect(lockId).toBeDefined();
    expect((await keyplan(dir, ['force-unlock', lockId as string], env)).code).toBe(0);

    const plan = await keyplan(dir, ['plan'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`key ${liveId} was created by an interrupted apply and never recorded; it is deleted`);
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.');

    const apply = await keyplan(dir, ['apply', '--auto-approve'], env);
    expect(apply.code, apply.stderr).toBe(0);
    const fingerprints = emulator.listKeys(USER).map((k) => k.fingerprint);
    expect(fingerprints).not.toContain(liveId);
    expect(fingerprints).toHaveLength(1);
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(state.intents).toEqual([]);
    expect(state.keys.job.current.id).toBe(fingerprints[0]);
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'], env)).code).toBe(0);
  }, 90_000);
});
