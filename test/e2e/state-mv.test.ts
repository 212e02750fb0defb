/**
 * `keyplan state mv OLD NEW` through the built CLI against the sandbox: after a rotation
 * with an overlap, the key, its old key in overlap and its rotation times move to the new
 * name; renaming it in keys.yaml then plans no changes (no rotation, no create, no delete),
 * and the lock is released. `--dry-run` writes nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../../src/model/state.js';
import { keyplan, tempDir } from '../helpers/cli.js';

const config = (name: string): string => `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
keys:
  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..statemv
    passphrase: none
    rotation: { overlap: 7d }
    outputs: [ { type: file, path: out/key.pem } ]
  - { name: other, kind: oci.api_key, provider: oci, user: ocid1.user.oc1..statemvother, passphrase: none, outputs: [ { type: file, path: out/other.pem } ] }
`;

describe('keyplan state mv', () => {
  it('renames a rotated key with its old key, and the renamed config plans no changes', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    const statePath = path.join(dir, '.keyplan', 'state.json');
    const run = (args: string[]) => keyplan(dir, args);
    writeFileSync(file, config('deployer'));
    expect((await run(['apply', '--auto-approve'])).code).toBe(0);
    const rotate = await run(['apply', '--auto-approve', '--rotate', 'deployer']);
    expect(rotate.code, rotate.stderr).toBe(0);
    const before = JSON.parse(readFileSync(statePath, 'utf8')) as KeyplanState;
    const record = before.keys['deployer'];
    expect(record?.retiring).toHaveLength(1);

    const dry = await run(['state', 'mv', 'deployer', 'ci-deployer', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      `Would move deployer to ci-deployer in the state (oci.api_key ${record?.current.id}, with 1 old key being retired). Nothing was written (--dry-run).\n`,
    );
    expect(dry.stderr).toContain(
      'Warning: rename deployer to ci-deployer in keys.yaml as well; until then plan would create a new key for deployer and delete ci-deployer.',
    );
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual(before);

    const moved = await run(['state', 'mv', 'deployer', 'ci-deployer', '--lock-timeout', '5s']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toBe(
      `Moved deployer to ci-deployer in the state (oci.api_key ${record?.current.id}, with 1 old key being retired), serial ${before.serial + 1}. Nothing was changed at the provider.\n`,
    );
    expect(existsSync(`${statePath}.lock`)).toBe(false);
    const after = JSON.parse(readFileSync(statePath, 'utf8')) as KeyplanState;
    expect(after.serial).toBe(before.serial + 1);
    expect(after.lineage).toBe(before.lineage);
    expect(Object.keys(after.keys).sort()).toEqual(['ci-deployer', 'other']);
    expect(after.keys['ci-deployer']).toEqual({ ...record, name: 'ci-deployer' });
    expect(after.keys['other']).toEqual(before.keys['other']);

    writeFileSync(file, config('ci-deployer'));
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    const list = await run(['state', 'list']);
    expect(list.stdout).toContain(`ci-deployer\toci.api_key\t${record?.current.id}\n`);
  }, 60_000);

  it('refuses a move onto a recorded name and changes nothing', async () => {
    const dir = tempDir();
    const statePath = path.join(dir, '.keyplan', 'state.json');
    writeFileSync(path.join(dir, 'keys.yaml'), config('deployer'));
    expect((await keyplan(dir, ['apply', '--auto-approve'])).code).toBe(0);
    const bytes = readFileSync(statePath, 'utf8');
    const onto = await keyplan(dir, ['state', 'mv', 'deployer', 'other']);
    expect(onto.code).toBe(1);
    expect(onto.stderr).toContain('cannot move deployer to other: the state already records a key named "other"');
    expect(onto.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(statePath, 'utf8')).toBe(bytes);
    expect(existsSync(`${statePath}.lock`)).toBe(false);
  }, 60_000);
});
