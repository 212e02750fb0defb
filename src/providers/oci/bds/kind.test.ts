/** keys.yaml entries of kind oci.bds_api_key: mapping, schema messages, alias uniqueness per cluster. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../config/load.js';
import { HEADER, problems, yaml } from '../../../../test/config/helpers.js';

const CLUSTER = 'ocid1.bigdataservice.oc1..c1';
const USER = 'ocid1.user.oc1..alice';

/** A valid BDS entry (7 lines before `extra`), with fields overridable by name. */
function bdsKey(name: string, over: Record<string, string> = {}, ...extra: string[]): string[] {
  const f = { cluster: CLUSTER, alias: 'etl', user: USER, passphrase: '{ env: CI_PASS }', ...over };
  return [
    `  - name: ${name}`,
    '    kind: oci.bds_api_key',
    '    provider: oci',
    `    cluster: ${f.cluster}`,
    `    alias: ${f.alias}`,
    `    user: ${f.user}`,
    `    passphrase: ${f.passphrase}`,
    ...extra,
  ];
}

describe('kind oci.bds_api_key in keys.yaml', () => {
  it('maps to owner = cluster and the declared attributes, test settings flattened', () => {
    const text = yaml(
      ...HEADER,
      ...bdsKey('etl', {}, '    default_region: eu-frankfurt-1', '    test_connection: { object_storage_uri: "oci://raw@ns/", region: eu-frankfurt-1 }'),
      ...bdsKey('minimal', { alias: 'Report2' }),
    );
    const config = parseConfigText(text, 'keys.yaml', '/repo', { env: { CI_PASS: 'x' }, checkEnv: true });
    expect(config.keys.map((k) => [k.kind, k.owner, k.attributes, k.passphrase, k.outputs])).toEqual([
      [
        'oci.bds_api_key',
        CLUSTER,
        {
          cluster: CLUSTER,
          alias: 'etl',
          user: USER,
          default_region: 'eu-frankfurt-1',
          test_connection_uri: 'oci://raw@ns/',
          test_connection_region: 'eu-frankfurt-1',
        },
        { env: 'CI_PASS' },
        [],
      ],
      ['oci.bds_api_key', CLUSTER, { cluster: CLUSTER, alias: 'Report2', user: USER }, { env: 'CI_PASS' }, []],
    ]);
  });

  it('accepts an explicitly empty outputs list', () => {
    expect(problems(yaml(...HEADER, ...bdsKey('etl', {}, '    outputs: []')))).toEqual([]);
  });

  it.each([
    [
      'passphrase: none is refused',
      { passphrase: 'none' },
      [],
      ['keys.yaml:11:17: keys[0].passphrase: must be { env: VARIABLE }: a BDS API key always needs a passphrase'],
    ],
    ['alias with a dash', { alias: 'etl-jobs' }, [], ['keys.yaml:9:12: keys[0].alias: must contain only ASCII letters and digits (no spaces, "-" or "_")']],
    [
      'alias with non-ASCII letters',
      { alias: 'étl' },
      [],
      ['keys.yaml:9:12: keys[0].alias: must contain only ASCII letters and digits (no spaces, "-" or "_")'],
    ],
    [
      'cluster that is not a BDS OCID',
      { cluster: 'ocid1.cluster.oc1..x' },
      [],
      ['keys.yaml:8:14: keys[0].cluster: must be a Big Data Service cluster OCID (ocid1.bigdataservice.…)'],
    ],
    [
      'outputs are refused',
      {},
      ['    outputs: [ { type: file, path: out/k.pem } ]'],
      ['keys.yaml:12:14: keys[0].outputs: must be empty: BDS keeps the private key on the cluster, so an oci.bds_api_key has nothing to write to outputs'],
    ],
    [
      'a bits field (oci.api_key only)',
      {},
      ['    bits: 2048'],
      [
        'keys.yaml:12:5: keys[0]: unknown field "bits" (allowed: name, kind, provider, depends_on, rotation, passphrase, cluster, alias, user, default_region, test_connection, outputs)',
      ],
    ],
    [
      'test_connection without a URI',
      {},
      ['    test_connection: { region: us-ashburn-1 }'],
      ['keys.yaml:12:22: keys[0].test_connection: missing required field "object_storage_uri"'],
    ],
  ] as const)('%s', (_name, over, extra, expected) => {
    expect(problems(yaml(...HEADER, ...bdsKey('k', over, ...extra)))).toEqual(expected);
  });

  it('reports a missing passphrase field and a missing alias', () => {
    const lines = bdsKey('k').filter((l) => !l.includes('passphrase') && !l.includes('alias'));
    expect(problems(yaml(...HEADER, ...lines))).toEqual([
      'keys.yaml:5:5: keys[0]: missing required field "alias"',
      'keys.yaml:5:5: keys[0]: missing required field "passphrase"',
    ]);
  });

  it('refuses an alias used twice on one cluster, pointing at the first', () => {
    const text = yaml(...HEADER, ...bdsKey('a'), ...bdsKey('b', { user: 'ocid1.user.oc1..bob' }));
    expect(problems(text)).toEqual([
      `keys.yaml:16:12: keys[1].alias: alias "etl" is already used on cluster ${CLUSTER} by key "a" (line 9); aliases must be unique per cluster`,
    ]);
  });

  it('allows one alias on two clusters, and aliases that differ only in case', () => {
    const text = yaml(...HEADER, ...bdsKey('a'), ...bdsKey('b', { cluster: 'ocid1.bigdataservice.oc1..c2' }), ...bdsKey('c', { alias: 'ETL' }));
    expect(problems(text)).toEqual([]);
  });
});
