import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/errors.js';
import { FULL_ENV, yaml } from './helpers.js';

const VALID = yaml(
  '# yaml-language-server: $schema=./schemas/keys.schema.json',
  'version: 1',
  'state: { backend: local, path: .keyplan/state.json }',
  'providers:',
  '  oci: { type: oci, endpoint: sandbox }',
  '  prod: { type: oci, profile: PROD, region: eu-frankfurt-1 }',
  'defaults:',
  '  rotation: { max_age: 90d, overlap: 7d }',
  'keys:',
  '  - name: ci-deployer',
  '    kind: oci.api_key',
  '    provider: oci',
  '    user: ocid1.user.oc1..alice',
  '    passphrase: { env: CI_PASS }',
  '    outputs:',
  '      - { type: file, path: secrets/ci-deployer.pem }',
  '      - { type: oci_config, path: secrets/oci-config, profile: CI_DEPLOYER }',
  '  - name: ops',
  '    kind: oci.api_key',
  '    provider: prod',
  '    user: ocid1.user.oc1..bob',
  '    bits: 4096',
  '    passphrase: none',
  '    depends_on: [ci-deployer]',
  '    rotation: { overlap: 1d12h, require_overlap: true }',
  '    outputs:',
  '      - { type: file, path: secrets/ops.pem }',
  '      - { type: oci_config, path: secrets/oci-config, profile: OPS }',
  '      - { type: env_file, path: secrets/ops.env, prefix: OPS_ }',
);

const DAY = 86_400_000;

describe('parseConfigText', () => {
  it('maps a valid config to the model, with defaults filled in', () => {
    const config = parseConfigText(VALID, 'keys.yaml', '/repo', { env: FULL_ENV, checkEnv: true });
    expect(config).toEqual({
      file: 'keys.yaml',
      baseDir: '/repo',
      hash: createHash('sha256').update(VALID).digest('hex'),
      state: { backend: 'local', path: '.keyplan/state.json' },
      providers: {
        oci: { name: 'oci', type: 'oci', settings: { config_file: '~/.oci/config', profile: 'DEFAULT', endpoint: 'sandbox' } },
        prod: { name: 'prod', type: 'oci', settings: { config_file: '~/.oci/config', profile: 'PROD', region: 'eu-frankfurt-1' } },
      },
      keys: [
        {
          name: 'ci-deployer',
          kind: 'oci.api_key',
          provider: 'oci',
          owner: 'ocid1.user.oc1..alice',
          attributes: { user: 'ocid1.user.oc1..alice', bits: 2048 },
          passphrase: { env: 'CI_PASS' },
          outputs: [
            { type: 'file', path: 'secrets/ci-deployer.pem' },
            { type: 'oci_config', path: 'secrets/oci-config', profile: 'CI_DEPLOYER' },
          ],
          dependsOn: [],
          rotation: { maxAgeMs: 90 * DAY, overlapMs: 7 * DAY, requireOverlap: false, verify: true, verifyTimeoutMs: 120_000 },
          source: { file: 'keys.yaml', line: 10, column: 5 },
          locateField: expect.any(Function),
        },
        {
          name: 'ops',
          kind: 'oci.api_key',
          provider: 'prod',
          owner: 'ocid1.user.oc1..bob',
          attributes: { user: 'ocid1.user.oc1..bob', bits: 4096 },
          passphrase: { none: true },
          outputs: [
            { type: 'file', path: 'secrets/ops.pem' },
            { type: 'oci_config', path: 'secrets/oci-config', profile: 'OPS' },
            { type: 'env_file', path: 'secrets/ops.env', prefix: 'OPS_' },
          ],
          dependsOn: ['ci-deployer'],
          // Own fields win over defaults field by field: overlap from the key, max_age from defaults.
          rotation: { maxAgeMs: 90 * DAY, overlapMs: 1.5 * DAY, requireOverlap: true, verify: true, verifyTimeoutMs: 120_000 },
          source: { file: 'keys.yaml', line: 18, column: 5 },
          locateField: expect.any(Function),
        },
      ],
    });
  });

  it('locates each field of a key where it is written, for errors found after loading (a cluster the provider does not know)', () => {
    const [ci, ops] = parseConfigText(VALID, 'keys.yaml', '/repo', { env: FULL_ENV, checkEnv: true }).keys;
    expect(ci?.locateField?.('kind')).toEqual({ file: 'keys.yaml', line: 11, column: 11 });
    expect(ci?.locateField?.('user')).toEqual({ file: 'keys.yaml', line: 13, column: 11 });
    expect(ci?.locateField?.('passphrase.env')).toEqual({ file: 'keys.yaml', line: 14, column: 24 });
    expect(ops?.locateField?.('bits')).toEqual({ file: 'keys.yaml', line: 22, column: 11 });
    // A field the entry does not write has no position of its own.
    expect(ci?.locateField?.('bits')).toBeUndefined();
    expect(ops?.locateField?.('passphrase.env')).toBeUndefined();
  });

  it('verifies new keys within 2m unless a key opts out or sets its own timeout', () => {
    const text = yaml(
      'version: 1',
      'providers:',
      '  prod: { type: oci, endpoint: sandbox }',
      'defaults:',
      '  rotation: { verify_timeout: 30s }',
      'keys:',
      '  - { name: a, kind: oci.api_key, provider: prod, user: ocid1.user.oc1..a, passphrase: none, outputs: [{ type: file, path: a.pem }] }',
      '  - { name: b, kind: oci.api_key, provider: prod, user: ocid1.user.oc1..b, passphrase: none, rotation: { verify: false }, outputs: [{ type: file, path: b.pem }] }',
      '  - { name: c, kind: oci.api_key, provider: prod, user: ocid1.user.oc1..c, passphrase: none, rotation: { verify_timeout: 5m }, outputs: [{ type: file, path: c.pem }] }',
    );
    const config = parseConfigText(text, 'keys.yaml', '/repo', { env: {}, checkEnv: true });
    expect(config.keys.map((k) => [k.name, k.rotation.verify, k.rotation.verifyTimeoutMs])).toEqual([
      ['a', true, 30_000],
      ['b', false, 30_000],
      ['c', true, 300_000],
    ]);
  });

  it('uses a local state file and no rotation when the config leaves them out', () => {
    const config = parseConfigText(yaml('version: 1'), 'keys.yaml', '/repo', { env: {}, checkEnv: true });
    expect(config.state).toEqual({ backend: 'local', path: '.keyplan/state.json' });
    expect(config.providers).toEqual({});
    expect(config.keys).toEqual([]);
  });

  it('maps a postgres state backend to the variable name only', () => {
    const text = yaml('version: 1', 'state: { backend: postgres, url_env: KEYPLAN_PG_URL }');
    const config = parseConfigText(text, 'keys.yaml', '/repo', { env: { KEYPLAN_PG_URL: 'postgres://u:p@h/db' }, checkEnv: true });
    expect(config.state).toEqual({ backend: 'postgres', urlEnv: 'KEYPLAN_PG_URL', name: 'keys' });
    expect(JSON.stringify(config)).not.toContain('postgres://');
  });

  it('takes a postgres state name and CA file as written, and derives the name from the file name otherwise', () => {
    const named = yaml('version: 1', 'state: { backend: postgres, url_env: PG, name: team-a, ca_file: certs/ca.pem }');
    expect(parseConfigText(named, 'keys.yaml', '/repo', { env: {}, checkEnv: false }).state).toEqual({
      backend: 'postgres',
      urlEnv: 'PG',
      name: 'team-a',
      caFile: 'certs/ca.pem',
    });
    const unnamed = yaml('version: 1', 'state: { backend: postgres, url_env: PG }');
    expect(parseConfigText(unnamed, 'prod keys.yml', '/repo', { env: {}, checkEnv: false }).state).toMatchObject({ name: 'prod-keys' });
  });

  it('skips the environment check when checkEnv is false', () => {
    expect(() => parseConfigText(VALID, 'keys.yaml', '/repo', { env: {}, checkEnv: false })).not.toThrow();
  });

  it('throws one ConfigError carrying every problem, sorted, with a count in the message', () => {
    const text = yaml(
      'version: 1',
      'keys:',
      '  - name: a',
      '    kind: oci.api_key',
      '    provider: nowhere',
      '    user: nope',
      '    passphrase: none',
      '    outputs: [{ type: file, path: a.pem }]',
      'extra: 1',
    );
    let error: unknown;
    try {
      parseConfigText(text, 'keys.yaml', '/repo', { env: {}, checkEnv: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).toBe('keys.yaml has 3 problems');
    expect(configError.code).toBe('KP_CONFIG_E0001');
    expect(configError.source).toBe('user');
    expect(configError.diagnostics.map((d) => [d.code, d.range?.line, d.range?.column, d.path, d.message])).toEqual([
      ['KP_CONFIG_E0301', 5, 15, 'keys[0].provider', 'unknown provider "nowhere" (no providers are defined)'],
      ['KP_CONFIG_E0204', 6, 11, 'keys[0].user', 'must be a user OCID (ocid1.user.…)'],
      ['KP_CONFIG_E0200', 9, 1, undefined, 'unknown field "extra" (allowed: version, state, providers, defaults, keys)'],
    ]);
  });

  it('says "1 problem" for a single one', () => {
    expect(() => parseConfigText(yaml('version: 3'), 'keys.yaml', '/repo', { env: {}, checkEnv: true })).toThrow('keys.yaml has 1 problem');
  });
});

describe('loadConfig', () => {
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'keyplan-config-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('reads the file, hashes its bytes and resolves paths against its folder', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'conf'));
    const file = join(dir, 'conf', 'keys.yaml');
    await writeFile(file, VALID);
    const config = await loadConfig(file, { env: FULL_ENV, checkEnv: true });
    expect(config.file).toBe(file);
    expect(config.baseDir).toBe(join(dir, 'conf'));
    expect(config.hash).toBe(createHash('sha256').update(Buffer.from(VALID)).digest('hex'));
    expect(config.keys.map((k) => k.name)).toEqual(['ci-deployer', 'ops']);
  });

  it('names the path when the file does not exist', async () => {
    const dir = await tempDir();
    const file = join(dir, 'missing.yaml');
    const error = await loadConfig(file, { env: {}, checkEnv: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('KP_CONFIG_E0002');
    expect((error as ConfigError).message).toBe(`config file ${file} not found (looked for ${file})`);
  });

  it('reports a folder given as the config file', async () => {
    const dir = await tempDir();
    await expect(loadConfig(dir, { env: {}, checkEnv: true })).rejects.toThrow(`cannot read config file ${dir}: it is a directory`);
  });

  it('reports diagnostics with the path as given by the caller', async () => {
    const dir = await tempDir();
    const file = join(dir, 'keys.yaml');
    await writeFile(file, yaml('version: 1', 'keyz: []'));
    const error = await loadConfig(file, { env: {}, checkEnv: true }).catch((e: unknown) => e);
    expect((error as ConfigError).diagnostics[0]?.range).toEqual({ file, line: 2, column: 1 });
  });
});
