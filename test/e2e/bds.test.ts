/**
 * oci.bds_api_key end to end with the built CLI: against the sandbox (plan, apply, no
 * changes, rotations next to IAM keys of the same user, a user change, removal), a config
 * that cannot fit one user's 3 slots, and failing work requests (an emulator started here
 * with failWorkRequests: 1, sharing its data folder with a healthy one). The passphrases
 * never appear in state, output, the debug log or the emulator's request log.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOciEmulator, type OciEmulator } from '../../src/emulators/oci/index.js';
import { fastWaiters, testBdsClient } from '../../src/emulators/oci/bds/test-client.js';
import { keyplan, tempDir, type CliRun } from '../helpers/cli.js';
import { ociProviderFor } from '../helpers/emulator-config.js';

const USER = 'ocid1.user.oc1..e2ebdsshared';
const OTHER = 'ocid1.user.oc1..e2ebdsother';
const CLUSTER = 'ocid1.bigdataservice.oc1.iad.e2ebdscluster';

const iam = (name: string, user = USER): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ${user}
    passphrase: { env: IAM_PASS }
    outputs: [ { type: file, path: out/${name}.pem } ]
`;
const bds = (name: string, user = USER, extra = ''): string => `  - name: ${name}
    kind: oci.bds_api_key
    provider: oci
    cluster: ${CLUSTER}
    alias: ${name.replace(/[^A-Za-z0-9]/g, '')}
    user: ${user}
    passphrase: { env: BDS_PASS }
${extra}`;
const config = (provider: string, keys: string): string => `version: 1\nproviders:\n  ${provider}\nkeys:\n${keys}`;
const SANDBOX = 'oci: { type: oci, endpoint: sandbox }';

/** Fails if any secret appears in the runs' output or in the given files. */
function expectNowhere(secrets: readonly string[], runs: readonly CliRun[], files: readonly string[], extra: readonly string[] = []): void {
  const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), ...files.filter(existsSync).map((f) => readFileSync(f, 'utf8')), ...extra];
  expect(texts.length).toBeGreaterThan(runs.length);
  for (const text of texts) for (const s of secrets) expect(text).not.toContain(s);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((n) => path.join(dir, n))
    .filter((p) => statSync(p).isFile());
}

describe('oci.bds_api_key with the CLI', () => {
  it('plans, applies, converges and rotates BDS keys beside IAM keys of the same user', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    const secrets = { IAM_PASS: `iam-${randomBytes(8).toString('hex')}`, BDS_PASS: `bds-${randomBytes(8).toString('hex')}` };
    const env = { ...secrets, KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: path.join(dir, 'debug.log') };
    const runs: CliRun[] = [];
    const run = async (...args: string[]): Promise<CliRun> => {
      const r = await keyplan(dir, args, env);
      runs.push(r);
      return r;
    };
    writeFileSync(
      file,
      config(
        SANDBOX,
        iam('deployer') + iam('reader') + bds('etl', USER, '    test_connection: { object_storage_uri: "oci://raw@ns/" }\n') + bds('report', OTHER),
      ),
    );

    const plan1 = await run('plan');
    expect(plan1.code, plan1.stderr).toBe(0);
    expect(plan1.stdout).toContain('+ oci.bds_api_key "etl" {');
    expect(plan1.stdout).toContain('Plan: 4 to create, 0 to rotate, 0 to update, 0 to delete.');
    const apply1 = await run('apply', '--auto-approve');
    expect(apply1.code, apply1.stderr).toBe(0);
    expect(apply1.stderr).toMatch(/etl: creation complete after \S+ \[id=ocid1\.bdsapikey\./);
    const again = await run('plan', '--detailed-exitcode');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(again.stdout).not.toContain('Unmanaged');

    // 2 IAM + 1 BDS key hold all of USER's slots: an IAM rotation must delete first.
    const rotateIam = await run('plan', '--rotate', 'deployer');
    expect(rotateIam.stdout).toContain('-/+ oci.api_key "deployer" {');
    expect(rotateIam.stdout).toContain('# oci.api_key.deployer will be rotated, as requested');
    expect(rotateIam.stdout).toContain(`# (user ${USER} has 3 of 3 key slots in use: the old key is deleted before the new one is created)`);
    expect((await run('apply', '--auto-approve', '--rotate', 'deployer')).code).toBe(0);

    const before = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')).keys.etl.current.id as string;
    const rotateBds = await run('plan', '--rotate', 'etl');
    expect(rotateBds.stdout).toContain('-/+ oci.bds_api_key "etl" {');
    expect(rotateBds.stdout).toContain('Plan: 0 to create, 1 to rotate, 0 to update, 0 to delete.');
    expect((await run('apply', '--auto-approve', '--rotate', 'etl')).code).toBe(0);
    const after = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')).keys.etl.current;
    expect(after.id).not.toBe(before);
    expect(after.attributes).toMatchObject({ alias: 'etl', user: USER, fingerprint: expect.stringMatching(/^[0-9a-f:]{47}$/) });
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);

    // A new user replaces the key under the same alias.
    writeFileSync(
      file,
      config(
        SANDBOX,
        iam('deployer') +
          iam('reader') +
          bds('etl', USER, '    test_connection: { object_storage_uri: "oci://raw@ns/" }\n') +
          bds('report', USER.replace('shared', 'third')),
      ),
    );
    const moved = await run('plan');
    expect(moved.stdout).toContain('# oci.bds_api_key.report must be rotated (a setting that forces a new key changed)');
    expect(moved.stdout).toContain(`~ user        = "${OTHER}" -> "${USER.replace('shared', 'third')}" # forces replacement`);
    expect((await run('apply', '--auto-approve')).code).toBe(0);

    writeFileSync(file, config(SANDBOX, iam('deployer') + iam('reader') + bds('etl')));
    const removal = await run('plan');
    expect(removal.stdout).toContain('# oci.bds_api_key.report will be deleted (no longer in keys.yaml)');
    expect((await run('apply', '--auto-approve')).code).toBe(0);
    const last = await run('plan', '--detailed-exitcode');
    expect(last.code, last.stdout).toBe(0);
    expect((await run('state', 'list')).stdout).toMatch(/^etl\toci\.bds_api_key\tocid1\.bdsapikey\./m);

    expectNowhere(Object.values(secrets), runs, [path.join(dir, '.keyplan', 'state.json'), path.join(dir, 'debug.log')]);
  }, 120_000);

  it('refuses 4 keys for one user at plan time (from keys.yaml alone), naming the user and the keys', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config(SANDBOX, iam('one') + iam('two') + bds('three') + bds('four')));
    const r = await keyplan(dir, ['plan'], { IAM_PASS: 'x', BDS_PASS: 'y' });
    expect(r.code).toBe(1);
    // Refused from keys.yaml alone (config/check-quota.ts), before any provider call.
    expect(r.stderr).toContain(`user ${USER} would need 4 API keys; OCI allows 3 per user (declared: one, two, three, four)`);
    const apply = await keyplan(dir, ['apply', '--auto-approve'], { IAM_PASS: 'x', BDS_PASS: 'y' });
    expect(apply.code).toBe(1);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('fails the step with the quoted work request error (exit 4), and the next plan is still correct', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'emulator');
    const secret = `bds-${randomBytes(8).toString('hex')}`;
    const env = { BDS_PASS: secret, IAM_PASS: 'unused', KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: path.join(dir, 'debug.log') };
    const emulators: OciEmulator[] = [];
    const runs: CliRun[] = [];
    /** Starts an emulator on the shared data folder, points keys.yaml at it, runs the CLI, stops it. */
    const against = async (failWorkRequests: number, keys: string, ...args: string[]): Promise<CliRun> => {
      const emu = await startOciEmulator({ dataDir: data, autoCreateUsers: true, bds: { autoCreateClusters: true, failWorkRequests } });
      emulators.push(emu);
      onTestFinished(() => emu.close().catch(() => undefined));
      writeFileSync(path.join(dir, 'keys.yaml'), config(ociProviderFor(dir, emu), keys));
      const r = await keyplan(dir, args, env);
      runs.push(r);
      await emu.close();
      return r;
    };

    expect((await against(0, bds('etl'), 'apply', '--auto-approve')).code).toBe(0);
    const failedRotate = await against(1, bds('etl'), 'apply', '--auto-approve', '--rotate', 'etl');
    expect(failedRotate.code, failedRotate.stderr).toBe(4);
    expect(failedRotate.stderr).toMatch(
      /etl: rotation failed: oci: DeleteBdsApiKey on cluster \S+: work request \S+ FAILED: InternalServerError: Internal error occurred while trying to delete the API key\./,
    );
    const failedCreate = await against(1, bds('etl') + bds('jobs'), 'apply', '--auto-approve');
    expect(failedCreate.code, failedCreate.stderr).toBe(4);
    expect(failedCreate.stderr).toMatch(
      /jobs: creation failed: oci: CreateBdsApiKey on cluster \S+: work request \S+ FAILED: InternalServerError: Internal error occurred while trying to create the API key\./,
    );

    const next = await against(0, bds('etl') + bds('jobs'), 'plan');
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('# oci.bds_api_key.jobs will be created');
    expect(next.stdout).toContain('Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(next.stdout).not.toContain('Unmanaged');
    expect((await against(0, bds('etl') + bds('jobs'), 'apply', '--auto-approve')).code).toBe(0);
    expect((await against(0, bds('etl') + bds('jobs'), 'plan', '--detailed-exitcode')).code).toBe(0);

    const logs = emulators.map((e) => JSON.stringify(e.requestLog));
    expect(logs.join('').length).toBeGreaterThan(0);
    expectNowhere([secret], runs, [path.join(dir, '.keyplan', 'state.json'), path.join(dir, 'debug.log'), ...filesUnder(data)], logs);
  }, 120_000);

  it('finds a create that died before state recorded it by its journalled alias, and replaces it', async () => {
    const dir = tempDir();
    const emu = await startOciEmulator({ autoCreateUsers: true, bds: { autoCreateClusters: true } });
    onTestFinished(() => emu.close());
    writeFileSync(path.join(dir, 'keys.yaml'), config(ociProviderFor(dir, emu), bds('etl')));
    // What a run leaves when it dies after CreateBdsApiKey: the key, and only a journal entry.
    const client = testBdsClient(emu.admin, emu.url);
    onTestFinished(() => client.close());
    const res = await client.createBdsApiKey({ bdsInstanceId: CLUSTER, createBdsApiKeyDetails: { userId: USER, passphrase: 'b3JwaGFu', keyAlias: 'etl' } });
    expect((await fastWaiters(client).forWorkRequest({ workRequestId: res.opcWorkRequestId })).workRequest.status).toBe('SUCCEEDED');
    const orphan = emu.listBdsKeys(CLUSTER)[0]?.id;
    const intent = {
      id: 'i-1',
      operation: 'create',
      name: 'etl',
      kind: 'oci.bds_api_key',
      provider: 'oci',
      owner: CLUSTER,
      match: { attribute: 'alias', value: 'etl' },
      startedAt: '2025-01-01T00:00:00.000Z',
    };
    mkdirSync(path.join(dir, '.keyplan'));
    writeFileSync(
      path.join(dir, '.keyplan', 'state.json'),
      JSON.stringify({ version: 1, lineage: '6c1c4f4e-0000-4000-8000-000000000001', serial: 1, keys: {}, intents: [intent] }),
    );
    const env = { BDS_PASS: 'replacement-passphrase' };

    const plan = await keyplan(dir, ['plan'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`# (key ${orphan} was created by an interrupted apply and never recorded; it is deleted)`);
    expect(plan.stdout).not.toContain('Unmanaged');
    const apply = await keyplan(dir, ['apply', '--auto-approve'], env);
    expect(apply.code, apply.stderr).toBe(0);
    const keys = emu.listBdsKeys(CLUSTER);
    expect(keys.map((k) => k.keyAlias)).toEqual(['etl']);
    expect(keys[0]?.id).not.toBe(orphan);
    expect(emu.listKeys(USER)).toHaveLength(1);
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')).intents).toEqual([]);
  }, 60_000);
});
