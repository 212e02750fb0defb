/**
 * Ctrl-C typed on a terminal (a pseudo-terminal, through the built CLI) while a plan reads
 * the live keys: the run stops with "Error: interrupted" and exit 1, not "This is a bug in
 * keyplan" with a stack trace, and the state lock is released.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';
import { keyplanOnTerminal } from '../helpers/pty.js';

describe('Ctrl-C on a terminal during a plan', () => {
  it('stops the refresh as the user asked and releases the lock', async () => {
    const dir = tempDir();
    // Each call takes 3 s, so the Ctrl-C typed when the refresh starts lands while a read is in flight.
    const emulator = await startOciEmulator({ autoCreateUsers: true, latencyMs: 3000 });
    onTestFinished(() => emulator.close());
    // More users than refresh reads at once, so some reads have not started when Ctrl-C stops them.
    const keys = Array.from(
      { length: 40 },
      (_, i) =>
        `  - { name: k${i}, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..ptyplan${i}, passphrase: none, outputs: [ { type: file, path: out/k${i}.pem } ] }\n`,
    );
    writeFileSync(path.join(dir, 'keys.yaml'), `version: 1\nproviders:\n  ${ociProviderFor(dir, emulator)}\nkeys:\n${keys.join('')}`);
    const run = await keyplanOnTerminal(dir, ['plan'], '"refresh_start"', '\x03', { KEYPLAN_LOG: 'debug' });
    expect(run.typed, run.output).toBe(true);
    expect(run.output).toContain('Error: interrupted');
    expect(run.code, run.output).toBe(1);
    expect(run.output).not.toContain('This is a bug');
    expect(run.output).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, '.keyplan', 'state.json.lock'))).toBe(false);
    const plan = await keyplan(dir, ['state', 'list']);
    expect(plan.code, plan.stderr).toBe(0);
  }, 60_000);
});
