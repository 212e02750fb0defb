/**
 * Results on stdout, diagnostics on stderr, as the README says: with a config whose plan
 * warns (a passphrase variable apply will need is unset), `validate`, `plan` (human and
 * JSON), `apply` (refused, human, JSON), `state list` and `status` print warnings, errors
 * and progress on stderr only, and stdout holds only what the command produces, so
 * `keyplan plan --json > plan.json` or `keyplan state list | cut` get clean input.
 * (Retries: retry-visible.test.ts. The warnings a plan itself carries, e.g. targeting,
 * are part of the plan document and print with it, as `keyplan show` prints them.)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';

const CONFIG = `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
keys:
  - name: ci
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..streams
    passphrase: { env: PASS }
    outputs: [ { type: file, path: out/ci.pem } ]
`;
const WARNING = 'Warning: apply will need the passphrase variable(s) PASS, which are not set here.';

describe('results go to stdout, diagnostics to stderr', () => {
  it('keeps warnings, errors and progress off stdout in validate, plan, apply, state list and status', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), CONFIG);
    const run = (args: string[], env: Record<string, string> = {}) => keyplan(dir, args, env);

    const validate = await run(['validate']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toBe('Success! keys.yaml is valid: 1 key(s), 1 provider(s).\n');
    expect(validate.stderr).toBe('');
    const strict = await run(['validate', '--require-env']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toContain('keys[0].passphrase.env: environment variable PASS is not set');

    // Without the passphrase, plan warns (apply will need it): on stderr, after the plan on stdout.
    const plan = await run(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(plan.stderr).toContain(WARNING);
    expect(plan.stdout).not.toContain('Warning');

    const json = await run(['plan', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
    expect(json.stderr).toContain(WARNING);

    const refused = await run(['apply', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error: set the passphrase variable(s) PASS before apply; nothing was changed');
    expect(refused.stdout).not.toContain('Error');

    const env = { PASS: 'streams-pass' };
    const apply = await run(['apply', '--auto-approve'], env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Keys: 1 created, 0 rotated, 0 updated, 0 deleted.');
    expect(apply.stderr).toMatch(/^ci: creating\.\.\.$/m);
    expect(apply.stderr).toMatch(/^ci: creation complete after \d+s \[id=/m);
    expect(apply.stdout).not.toMatch(/creating\.\.\.|creation complete/);

    const list = await run(['state', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ci\toci\.api_key\t\S+\n$/);
    expect(list.stderr).toBe('');

    const status = await run(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('ci');
    expect(status.stderr).toBe('');

    // apply --json: stdout is the event stream alone, every line one JSON event.
    writeFileSync(path.join(dir, 'keys.yaml'), CONFIG.replace('name: ci', 'name: ci2').replace('out/ci.pem', 'out/ci2.pem'));
    const stream = await run(['apply', '--auto-approve', '--json'], env);
    expect(stream.code, stream.stderr).toBe(0);
    const events = stream.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(events.map((e) => e.type)).toContain('apply_complete');
    expect(stream.stdout + stream.stderr).not.toContain('streams-pass');
  }, 90_000);
});
