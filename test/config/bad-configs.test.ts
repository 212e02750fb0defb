/**
 * Bad configs, each with the exact message(s) a user sees. Fixtures are built from
 * HEADER (4 lines), so the first key entry starts on line 5.
 */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/errors.js';
import { ociApiKeyKind } from '../../src/providers/oci/kind-api-key.js';
import { ociProvider } from '../../src/providers/oci/provider.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from '../../src/providers/registry.js';
import { HEADER, ociKey, problems, yaml } from './helpers.js';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly expected: readonly string[];
  readonly options?: Parameters<typeof problems>[1];
}

/** The output line of inline oci.api_key entries (a kind that returns a secret needs one). */
const OUTPUT = '    outputs: [{ type: file, path: out/a.pem }]';

const CASES: readonly Case[] = [
  {
    name: 'misspelled field',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: oci', '    usr: ocid1.user.oc1..alice', '    passphrase: none', OUTPUT),
    // The typo also makes `user` missing; the hint covers both, so it is one problem.
    expected: ['keys.yaml:8:5: keys[0]: unknown field "usr" (did you mean "user"?)'],
  },
  {
    name: 'missing user',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: oci', '    passphrase: none', OUTPUT),
    expected: ['keys.yaml:5:5: keys[0]: missing required field "user"'],
  },
  {
    name: 'missing passphrase (must be explicit, even when none)',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: oci', '    user: ocid1.user.oc1..alice', OUTPUT),
    expected: ['keys.yaml:5:5: keys[0]: missing required field "passphrase"'],
  },
  {
    name: 'bad bits',
    text: yaml(...HEADER, ...ociKey('a', '    bits: 1024')),
    expected: ['keys.yaml:10:11: keys[0].bits: must be one of: 2048, 3072, 4096'],
  },
  {
    name: 'user that is not a user OCID',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: oci', '    user: ocid1.group.oc1..x', '    passphrase: none', OUTPUT),
    expected: ['keys.yaml:8:11: keys[0].user: must be a user OCID (ocid1.user.…)'],
  },
  {
    name: 'bad duration',
    text: yaml(...HEADER, ...ociKey('a', '    rotation: { max_age: 90x }')),
    expected: ['keys.yaml:10:26: keys[0].rotation.max_age: must be a duration such as 90d, 12h or 1d12h'],
  },
  {
    name: 'overlap not shorter than max_age',
    text: yaml(...HEADER, ...ociKey('a', '    rotation: { max_age: 7d, overlap: 1w }')),
    expected: ['keys.yaml:10:39: keys[0].rotation.overlap: overlap (1w) must be shorter than max_age (7d)'],
  },
  {
    name: 'max_age shorter than the default overlap',
    text: yaml('version: 1', 'defaults:', '  rotation: { overlap: 7d }', ...HEADER.slice(1), ...ociKey('a', '    rotation: { max_age: 5d }')),
    expected: ['keys.yaml:12:26: keys[0].rotation.max_age: overlap (7d, from defaults.rotation) must be shorter than max_age (5d)'],
  },
  {
    name: 'duplicate name',
    // Distinct outputs, so the only problem is the name (ociKey's entries are 6 lines).
    text: yaml(...HEADER, ...ociKey('a'), ...ociKey('a', '    outputs: [{ type: file, path: out/a2.pem }]')),
    expected: ['keys.yaml:11:11: keys[1].name: duplicate key name "a" (first defined at line 5)'],
  },
  {
    name: 'invalid name',
    text: yaml(...HEADER, ...ociKey('CI Deployer')),
    expected: ['keys.yaml:5:11: keys[0].name: must start with a lowercase letter or digit and contain only a-z, 0-9, "-" and "_"'],
  },
  {
    name: 'unknown provider, close to a defined one',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: ocii', '    user: ocid1.user.oc1..alice', '    passphrase: none', OUTPUT),
    expected: ['keys.yaml:7:15: keys[0].provider: unknown provider "ocii" (did you mean "oci"?)'],
  },
  {
    name: 'unknown provider, listing the defined ones',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: aws', '    user: ocid1.user.oc1..alice', '    passphrase: none', OUTPUT),
    expected: ['keys.yaml:7:15: keys[0].provider: unknown provider "aws" (defined: oci)'],
  },
  {
    name: 'unknown kind',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.apikey', '    provider: oci'),
    expected: ['keys.yaml:6:11: keys[0].kind: must be one of: oci.api_key, oci.bds_api_key, outscale.access_key, dataos.api_key'],
  },
  {
    name: 'kind whose provider type differs from the block type',
    text: yaml(...HEADER, ...ociKey('a')),
    // The kind is registered with an outscale block type of its own, so the oci block does not suit it.
    options: { providers: mismatchedRegistry() },
    expected: ['keys.yaml:7:15: keys[0].provider: kind oci.api_key needs a provider of type outscale, but provider "oci" is of type oci'],
  },
  {
    name: 'unknown provider type',
    text: yaml('version: 1', 'providers:', '  osc: { type: outscal, region: eu-west-2 }'),
    expected: ['keys.yaml:3:16: providers.osc.type: must be one of: oci, outscale, dataos'],
  },
  {
    name: 'bad provider endpoint and misspelled setting',
    text: yaml('version: 1', 'providers:', '  oci:', '    type: oci', '    endpoint: sandbx', '    profil: ADMIN'),
    expected: [
      'keys.yaml:5:15: providers.oci.endpoint: must be "sandbox" or an http(s) URL',
      'keys.yaml:6:5: providers.oci: unknown field "profil" (did you mean "profile"?)',
    ],
  },
  {
    name: 'depends_on an unknown key',
    text: yaml(...HEADER, ...ociKey('deployer'), ...ociKey('b', '    depends_on: [deployr, nobody]')),
    expected: [
      'keys.yaml:16:18: keys[1].depends_on[0]: no key named "deployr" (did you mean "deployer"?)',
      'keys.yaml:16:27: keys[1].depends_on[1]: no key named "nobody"',
    ],
  },
  {
    name: 'depends_on itself',
    text: yaml(...HEADER, ...ociKey('a', '    depends_on: [a]')),
    expected: ['keys.yaml:10:18: keys[0].depends_on[0]: key "a" depends on itself'],
  },
  {
    name: 'dependency cycle, named once from its first key',
    text: yaml(
      ...HEADER,
      ...ociKey('a', '    depends_on: [b]'),
      ...ociKey('b', '    depends_on: [c]'),
      ...ociKey('c', '    depends_on: [a]'),
      ...ociKey('d', '    depends_on: [a]'),
    ),
    expected: ['keys.yaml:10:18: keys[0].depends_on[0]: dependency cycle: a -> b -> c -> a'],
  },
  {
    name: 'depends_on listing a key twice',
    text: yaml(...HEADER, ...ociKey('a'), ...ociKey('b', '    depends_on: [a, a]')),
    expected: ['keys.yaml:16:21: keys[1].depends_on[1]: "a" is listed twice'],
  },
  {
    name: 'two keys writing the same output file',
    text: yaml(
      ...HEADER,
      ...ociKey('a', '    outputs: [{ type: file, path: secrets/a.pem }]'),
      ...ociKey('b', '    outputs: [{ type: file, path: ./secrets/a.pem }]'),
    ),
    expected: ['keys.yaml:16:35: keys[1].outputs[0].path: "./secrets/a.pem" is already written by keys[0].outputs[0] (key "a", line 10)'],
  },
  {
    name: 'two oci_config outputs writing the same profile of one file',
    text: yaml(
      ...HEADER,
      ...ociKey('a', '    outputs:', '      - { type: file, path: a.pem }', '      - { type: oci_config, path: oci-config, profile: CI }'),
      ...ociKey('b', '    outputs:', '      - { type: file, path: b.pem }', '      - { type: oci_config, path: oci-config, profile: CI }'),
    ),
    expected: ['keys.yaml:20:56: keys[1].outputs[1].profile: profile "CI" of "oci-config" is already written by keys[0].outputs[1] (key "a", line 12)'],
  },
  {
    name: 'oci_config output without a file output',
    text: yaml(...HEADER, ...ociKey('a', '    outputs:', '      - { type: oci_config, path: oci-config, profile: CI }')),
    expected: ["keys.yaml:11:9: keys[0].outputs[0]: an oci_config output needs a file output in the same key for the profile's key_file to point at"],
  },
  {
    name: 'output missing its profile, and an unknown output type',
    text: yaml(...HEADER, ...ociKey('a', '    outputs:', '      - { type: oci_config, path: oci-config }', '      - { type: vault, path: x }')),
    expected: [
      'keys.yaml:11:9: keys[0].outputs[0]: missing required field "profile"',
      'keys.yaml:12:17: keys[0].outputs[1].type: must be one of: file, env_file, exec, vault_kv, github_secret, oci_config, osc_config',
    ],
  },
  {
    name: 'file output without a path, exec output with a shell string and a bad timeout',
    text: yaml(
      ...HEADER,
      ...ociKey(
        'a',
        '    outputs:',
        '      - { type: file }',
        '      - { type: exec, command: "vault kv put secret/a -" }',
        '      - { type: exec, command: [x], timeout: soon }',
      ),
    ),
    expected: [
      'keys.yaml:11:9: keys[0].outputs[0]: missing required field "path"',
      'keys.yaml:12:32: keys[0].outputs[1].command: must be a list of at least one non-empty string: the program, then its arguments (no shell)',
      'keys.yaml:13:46: keys[0].outputs[2].timeout: must be a duration such as 90d, 12h or 1d12h',
    ],
  },
  {
    name: 'passphrase neither {env} nor "none"',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key', '    provider: oci', '    user: ocid1.user.oc1..alice', '    passphrase: hunter2', OUTPUT),
    expected: ['keys.yaml:9:17: keys[0].passphrase: must be { env: VARIABLE } or the string "none"'],
  },
  {
    name: 'wrong version',
    text: yaml('version: 2', 'keys:', '  - nme: a'),
    // The rest of a version-2 file follows rules this keyplan does not know: only the version is reported.
    expected: ['keys.yaml:1:10: version: must be 1 (the only config version this keyplan reads)'],
  },
  {
    name: 'missing version',
    text: yaml('keys: []'),
    expected: ['keys.yaml:1:1: missing required field "version"'],
  },
  {
    name: 'wrong type',
    text: yaml('version: 1', 'keys:', '  name: a'),
    expected: ['keys.yaml:3:3: keys: must be a list, not a mapping'],
  },
  {
    name: 'empty file',
    text: '',
    expected: ['keys.yaml:1:1: the file must be a YAML mapping starting with "version: 1", but it is empty'],
  },
  {
    name: 'YAML syntax error',
    text: yaml(...HEADER, '  - name: a', '    kind: oci.api_key: x'),
    expected: ['keys.yaml:6:11: YAML syntax error: Nested mappings are not allowed in compact mappings'],
  },
  {
    name: 'YAML duplicate mapping key',
    text: yaml(...HEADER, '  - name: a', '    name: b'),
    expected: ['keys.yaml:6:5: YAML syntax error: Map keys must be unique'],
  },
  {
    name: 'postgres state without url_env',
    text: yaml('version: 1', 'state:', '  backend: postgres', '  path: x.json'),
    expected: [
      'keys.yaml:3:3: state: missing required field "url_env"',
      'keys.yaml:4:3: state: unknown field "path" (allowed: backend, url_env, name, ca_file)',
    ],
  },
  {
    name: 'postgres state name with a space',
    text: yaml('version: 1', 'state: { backend: postgres, url_env: PG, name: "a b" }'),
    options: { env: { PG: 'postgres://db.example/keyplan' } },
    expected: ['keys.yaml:2:48: state.name: must match the pattern ^[A-Za-z0-9][A-Za-z0-9._-]*$'],
  },
];

describe('bad configs report exact file:line:col messages', () => {
  it.each(CASES)('$name', ({ text, expected, options }) => {
    expect(problems(text, options)).toEqual(expected);
  });
});

describe('environment references', () => {
  const text = yaml(...HEADER, ...ociKey('a'), ...ociKey('b').map((l) => l.replace('CI_PASS', 'OPS_PASS')));
  const secret = 's3cr3t-Passphrase-VALUE-9f8e';

  it('names a missing variable and never prints any value', () => {
    const env = { OPS_PASS: secret, CI_PASS: undefined };
    expect(problems(text, { env })).toEqual([
      'keys.yaml:9:24: keys[0].passphrase.env: environment variable CI_PASS is not set (it holds the passphrase of key "a")',
    ]);
    let error: unknown;
    try {
      parseConfigText(text, 'keys.yaml', '/repo', { env, checkEnv: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const everything = JSON.stringify({ message: (error as ConfigError).message, diagnostics: (error as ConfigError).diagnostics });
    expect(everything).toContain('CI_PASS');
    expect(everything).not.toContain(secret);
  });

  it('treats an empty variable as missing', () => {
    expect(problems(text, { env: { CI_PASS: 'x', OPS_PASS: '' } })).toEqual([
      'keys.yaml:15:24: keys[1].passphrase.env: environment variable OPS_PASS is empty (it holds the passphrase of key "b")',
    ]);
  });

  it('checks the postgres state URL variable by name', () => {
    expect(problems(yaml('version: 1', 'state: { backend: postgres, url_env: KEYPLAN_PG_URL }'), { env: {} })).toEqual([
      'keys.yaml:2:38: state.url_env: environment variable KEYPLAN_PG_URL is not set (it holds the state database URL)',
    ]);
  });

  it('checks the credential variables a provider block names, except in the sandbox', () => {
    const config = yaml(
      'version: 1',
      'providers:',
      '  dataos: { type: dataos, url: "https://acme.dataos.app", token_env: DATAOS_APIKEY }',
      '  box: { type: dataos, endpoint: sandbox, token_env: UNUSED_IN_SANDBOX }',
    );
    expect(problems(config, { env: {} })).toEqual([
      'keys.yaml:3:70: providers.dataos.token_env: environment variable DATAOS_APIKEY is not set (it holds the API token of provider "dataos")',
    ]);
    expect(problems(config, { env: { DATAOS_APIKEY: 'set' } })).toEqual([]);
  });

  it('is skipped with checkEnv: false', () => {
    expect(problems(text, { env: {}, checkEnv: false })).toEqual([]);
  });
});

describe('all problems of a file are reported at once', () => {
  it('collects schema and semantic problems across keys, sorted by position', () => {
    const text = yaml(
      'version: 1',
      'providers:',
      '  oci: { type: oci, endpoint: sandbox, regoin: us-ashburn-1 }',
      'defaults:',
      '  rotation: { max_age: 30d, overlap: 45d }',
      'keys:',
      '  - name: ci',
      '    kind: oci.api_key',
      '    provider: oci',
      '    user: ocid1.user.oc1..alice',
      '    bits: 1000',
      '    passphrase: { env: MISSING_PASS }',
      '    depends_on: [ops]',
      '    outputs:',
      '      - { type: oci_config, path: cfg, profile: CI }',
      '  - name: ops',
      '    kind: oci.api_key',
      '    provider: oxi',
      '    usr: ocid1.user.oc1..bob',
      '    passphrase: none',
      '    depends_on: [ci, ghost]',
      '  - name: ci',
      '    kind: oci.api_key',
      '    provider: oci',
      '    user: ocid1.user.oc1..carol',
      '    passphrase: none',
      '    rotation: { max_age: 1y }',
    );
    expect(problems(text, { env: {} })).toEqual([
      'keys.yaml:3:40: providers.oci: unknown field "regoin" (did you mean "region"?)',
      'keys.yaml:5:38: defaults.rotation.overlap: overlap (45d) must be shorter than max_age (30d)',
      'keys.yaml:11:11: keys[0].bits: must be one of: 2048, 3072, 4096',
      'keys.yaml:12:24: keys[0].passphrase.env: environment variable MISSING_PASS is not set (it holds the passphrase of key "ci")',
      'keys.yaml:13:18: keys[0].depends_on[0]: dependency cycle: ci -> ops -> ci',
      "keys.yaml:15:9: keys[0].outputs[0]: an oci_config output needs a file output in the same key for the profile's key_file to point at",
      'keys.yaml:16:5: keys[1]: missing required field "outputs"',
      'keys.yaml:18:15: keys[1].provider: unknown provider "oxi" (did you mean "oci"?)',
      'keys.yaml:19:5: keys[1]: unknown field "usr" (did you mean "user"?)',
      'keys.yaml:21:22: keys[1].depends_on[1]: no key named "ghost"',
      'keys.yaml:22:5: keys[2]: missing required field "outputs"',
      'keys.yaml:22:11: keys[2].name: duplicate key name "ci" (first defined at line 7)',
      'keys.yaml:27:26: keys[2].rotation.max_age: must be a duration such as 90d, 12h or 1d12h',
    ]);
  });
});

describe('YAML the parser accepts but cannot turn into data', () => {
  it('reports an alias without its anchor at the alias', () => {
    expect(problems(yaml('version: 1', 'keys: *missing'))).toEqual([
      'keys.yaml:2:7: YAML error: Unresolved alias (the anchor must be set before the alias): missing',
    ]);
  });
});

/** The shipped providers, with oci.api_key moved to a provider of type `outscale`. */
function mismatchedRegistry(): ProviderRegistry {
  const others = SHIPPED_PROVIDERS.filter((p) => p.type !== 'oci' && p.type !== 'outscale');
  const outscale = SHIPPED_PROVIDERS.find((p) => p.type === 'outscale');
  if (outscale === undefined) throw new Error('Expected the outscale provider to be shipped');
  const moved = { ...ociApiKeyKind, spec: { ...ociApiKeyKind.spec, providerType: 'outscale' } };
  return new ProviderRegistry([
    { ...ociProvider, kinds: ociProvider.kinds.filter((k) => k !== ociApiKeyKind) },
    { ...outscale, kinds: [...outscale.kinds, moved] },
    ...others,
  ]);
}

describe('rotation.before_expiry against the lifetime of keys that expire', () => {
  const osc = ['version: 1', 'providers:', '  osc: { type: outscale, endpoint: sandbox }', '  dos: { type: dataos, endpoint: sandbox }'];
  const oscKeyLines = (rotation: string) => [
    '  - name: etl',
    '    kind: outscale.access_key',
    '    provider: osc',
    '    expires_in: 30d',
    `    rotation: ${rotation}`,
    '    outputs: [{ type: file, path: out/etl.json }]',
  ];

  it("refuses a before_expiry not shorter than the key's own lifetime, at the field", () => {
    expect(problems(yaml(...osc, 'keys:', ...oscKeyLines('{ before_expiry: 30d }')))).toEqual([
      "keys.yaml:10:32: keys[0].rotation.before_expiry: rotation.before_expiry (30d) must be shorter than the key's lifetime 30d (expires_in), or every apply would rotate it again",
    ]);
    expect(problems(yaml(...osc, 'keys:', ...oscKeyLines('{ before_expiry: 29d }')))).toEqual([]);
  });

  it("refuses a default before_expiry longer than a kind's default lifetime, at the key", () => {
    const text = yaml(
      ...osc,
      'defaults:',
      '  rotation: { before_expiry: 2d }',
      'keys:',
      '  - { name: presto, kind: dataos.api_key, provider: dos, outputs: [{ type: file, path: p.token }] }',
      '  - { name: spark, kind: dataos.api_key, provider: dos, duration: 720h, outputs: [{ type: file, path: s.token }] }',
    );
    expect(problems(text)).toEqual([
      "keys.yaml:8:27: keys[0].kind: rotation.before_expiry (2d, from defaults.rotation) must be shorter than the key's lifetime 24h (the default duration), or every apply would rotate it again",
    ]);
  });
});

describe('rotation.deactivate_for needs a kind that can deactivate keys', () => {
  const providers = ['version: 1', 'providers:', '  osc: { type: outscale, endpoint: sandbox }', '  oci: { type: oci, endpoint: sandbox }'];
  const etl = ['  - name: etl', '    kind: outscale.access_key', '    provider: osc', '    outputs: [{ type: file, path: out/etl.json }]'];

  it('accepts it on an OUTSCALE access key and refuses it on an OCI API key, at the field', () => {
    expect(problems(yaml(...providers, 'keys:', ...etl, '    rotation: { overlap: 1d, deactivate_for: 7d }'))).toEqual([]);
    expect(problems(yaml(...providers, 'keys:', ...ociKey('ci', '    rotation: { overlap: 1d, deactivate_for: 7d }')))).toEqual([
      'keys.yaml:11:46: keys[0].rotation.deactivate_for: rotation.deactivate_for (7d) cannot apply to oci.api_key keys: the provider cannot deactivate them; remove it',
    ]);
  });

  it('refuses a default deactivate_for at each key whose kind cannot deactivate', () => {
    const text = yaml(...providers, 'defaults:', '  rotation: { deactivate_for: 2d }', 'keys:', ...etl, ...ociKey('ci'));
    expect(problems(text)).toEqual([
      'keys.yaml:13:11: keys[1].kind: rotation.deactivate_for (2d, from defaults.rotation) cannot apply to oci.api_key keys: the provider cannot deactivate them; remove it from defaults or set it only on keys that can',
    ]);
  });

  it('refuses a deactivate_for that is not a duration', () => {
    expect(problems(yaml(...providers, 'keys:', ...etl, '    rotation: { deactivate_for: soon }'))).toEqual([
      'keys.yaml:10:33: keys[0].rotation.deactivate_for: must be a duration such as 90d, 12h or 1d12h',
    ]);
  });
});

describe('rotation.verify and rotation.verify_timeout', () => {
  const providers = ['version: 1', 'providers:', '  oci: { type: oci, endpoint: sandbox }'];

  it('accepts verify: false and a verify_timeout, on a key and in defaults', () => {
    expect(
      problems(yaml(...providers, 'defaults:', '  rotation: { verify_timeout: 5m }', 'keys:', ...ociKey('ci', '    rotation: { verify: false }'))),
    ).toEqual([]);
  });

  it('refuses a zero verify_timeout at the field and says how to skip verification', () => {
    expect(problems(yaml(...providers, 'keys:', ...ociKey('ci', '    rotation: { verify_timeout: 0s }')))).toEqual([
      'keys.yaml:10:33: keys[0].rotation.verify_timeout: rotation.verify_timeout (0s) must be longer than 0s; to skip verification set rotation.verify: false',
    ]);
  });

  it('refuses a verify that is not a boolean and a verify_timeout that is not a duration', () => {
    expect(problems(yaml(...providers, 'keys:', ...ociKey('ci', '    rotation: { verify: maybe, verify_timeout: soon }')))).toEqual([
      'keys.yaml:10:25: keys[0].rotation.verify: must be true or false, not a string',
      'keys.yaml:10:48: keys[0].rotation.verify_timeout: must be a duration such as 90d, 12h or 1d12h',
    ]);
  });
});
