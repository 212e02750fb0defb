/**
 * Retries are visible: when a provider answers 429, the built CLI says on stderr which
 * call is retried, after how long and which attempt comes next (`ReadAccessKeys: 429,
 * retrying in 1.2s (attempt 2 of 4)`), and the plan still succeeds. stdout, which holds
 * the plan, never gets these lines. Each emulator injects faults with a seed whose first
 * request is throttled and whose next ones are served.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDataosEmulator } from '../../src/emulators/dataos/index.js';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { startOutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

// With failRate 0.2, these seeds throttle the first request and serve the next eleven.
const FIRST_THROTTLED = { outscale: 1028, other: 480 };

function write(dir: string, provider: string, key: string): void {
  writeFileSync(path.join(dir, 'keys.yaml'), `version: 1\nproviders:\n  ${provider}\nkeys:\n${key}`);
}

function expectRetryOnStderrOnly(r: CliRun, line: RegExp): void {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(line);
  expect(r.stdout).toContain('Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.');
  expect(r.stdout).not.toContain('retrying');
}

describe('a throttled call is retried, and says so on stderr', () => {
  it('OUTSCALE ReadAccessKeys', async () => {
    const emu = await startOutscaleEmulator({ failRate: 0.2, seed: FIRST_THROTTLED.outscale });
    onTestFinished(() => emu.close());
    const dir = tempDir();
    write(
      dir,
      `osc: { type: outscale, region: eu-west-2, endpoint: "${emu.url}/api/v1" }`,
      `  - name: etl\n    kind: outscale.access_key\n    provider: osc\n    outputs: [ { type: file, path: out/etl.json } ]\n`,
    );
    const r = await keyplan(dir, ['plan'], { OSC_ACCESS_KEY: emu.account.accessKey, OSC_SECRET_KEY: emu.account.secretKey });
    expectRetryOnStderrOnly(r, /^ReadAccessKeys: 429, retrying in \d+(\.\d)?s \(attempt 2 of 4\)$/m);
  }, 60_000);

  it('OCI ListApiKeys (the SDK retries; keyplan hears about it)', async () => {
    const emu = await startOciEmulator({ autoCreateUsers: true, failRate: 0.2, seed: FIRST_THROTTLED.other });
    onTestFinished(() => emu.close());
    const dir = tempDir();
    write(
      dir,
      ociProviderFor(dir, emu).replace('max_attempts: 1', 'max_attempts: 3'),
      `  - name: ci\n    kind: oci.api_key\n    provider: oci\n    user: ${emu.admin.user}\n    passphrase: { env: PASS }\n    outputs: [ { type: file, path: out/ci.pem } ]\n`,
    );
    const r = await keyplan(dir, ['plan'], { PASS: 'retry-visible-pass' });
    expectRetryOnStderrOnly(r, /^ListApiKeys: 429 TooManyRequests, retrying in \d+(\.\d)?s \(attempt 2 of 3\)$/m);
  }, 60_000);

  it('DataOS Authorize (the call that finds whose token it is)', async () => {
    const emu = await startDataosEmulator({ failRate: 0.2, seed: FIRST_THROTTLED.other });
    onTestFinished(() => emu.close());
    const dir = tempDir();
    write(
      dir,
      `dataos: { type: dataos, url: "${emu.url}", token_env: DATAOS_APIKEY }`,
      `  - name: presto\n    kind: dataos.api_key\n    provider: dataos\n    outputs: [ { type: file, path: out/presto.token } ]\n`,
    );
    const r = await keyplan(dir, ['plan'], { DATAOS_APIKEY: emu.bootstrap.token });
    expectRetryOnStderrOnly(r, /^Authorize: 429, retrying in \d+(\.\d)?s \(attempt 2 of 4\)$/m);
  }, 60_000);
});
