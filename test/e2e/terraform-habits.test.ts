/**
 * Habits Terraform users bring: one-dash long options get the two-dash spelling to use,
 * `help COMMAND`, global options before the command, and a targeted plan that warns and
 * reads only the providers its keys need.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

describe('Terraform habits', () => {
  it('refuses one-dash long options, naming the two-dash spelling', async () => {
    const dir = tempDir();
    const apply = await keyplan(dir, ['apply', '-auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Error: unknown option "-auto-approve". Did you mean "--auto-approve"?');
    const out = await keyplan(dir, ['plan', '-out=x.kp']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('unknown option "-out=x.kp". Did you mean "--out=x.kp"?');
    const v = await keyplan(dir, ['plan', '-var', 'a=b']);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('"keyplan plan" has no --var');
    expect(apply.stdout + out.stdout + v.stdout).toBe('');
  });

  it('shows a command help with "help COMMAND" and takes global options before the command', async () => {
    const dir = tempDir();
    const help = await keyplan(dir, ['help', 'plan']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: keyplan plan /);
    const debug = await keyplan(dir, ['--debug', 'validate', '-f', 'missing.yaml']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).not.toContain('unknown');
    expect(debug.stderr).toContain('missing.yaml');
  });

  it('warns that targeting is in effect and reads only the targeted keys\u2019 providers', async () => {
    const dir = tempDir();
    const emulator = await startOciEmulator({ autoCreateUsers: true });
    onTestFinished(() => emulator.close());
    writeFileSync(
      path.join(dir, 'keys.yaml'),
      `version: 1\nproviders:\n  ${ociProviderFor(dir, emulator)}\n  other: { type: oci, config_file: no-such-config, endpoint: "${emulator.url}", max_attempts: 1 }\nkeys:\n` +
        `  - { name: a, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..a, passphrase: none, outputs: [ { type: file, path: out/a.pem } ] }\n` +
        `  - { name: b, kind: oci.api_key, provider: other, user: ocid1.user.oc1..b, passphrase: none, outputs: [ { type: file, path: out/b.pem } ] }\n`,
    );
    const all = await keyplan(dir, ['plan']);
    expect(all.code, all.stderr).toBe(1);
    expect(all.stderr).toContain('no-such-config');

    const human = await keyplan(dir, ['plan', '--target', 'a']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout + human.stderr).toContain('Resource targeting is in effect');
    expect(human.stdout).toContain('Plan: 1 to create');
    const md = await keyplan(dir, ['plan', '--target=a', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('Resource targeting is in effect');
    const json = await keyplan(dir, ['plan', '--target', 'a', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { diagnostics: { code: string; summary?: string; message?: string }[] };
    expect(JSON.stringify(doc.diagnostics)).toContain('KP_PLAN_W0010');
  }, 60_000);
});
