/** `dataos.api_key` keys and `dataos` provider blocks in keys.yaml: mapping, defaults and messages. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../errors/diagnostic.js';
import { checkConfigText } from '../../config/load.js';
import { buildKeysSchema } from '../../config/schema-build.js';
import { defaultRegistry } from '../registry.js';
import { DATAOS_CALLER } from './caller.js';
import { DATAOS_DEFAULT_DURATION } from './kind.js';
import { dataosProvider } from './provider.js';

function check(text: string, env: Record<string, string> = { DATAOS_APIKEY: 'set', T: 'set' }) {
  return checkConfigText(text, 'keys.yaml', '/repo', { env, checkEnv: true });
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('kind dataos.api_key in keys.yaml', () => {
  it('maps a key without user to the caller, with token_name and duration defaults', () => {
    const { config, diagnostics } = check(
      lines(
        'version: 1',
        'providers:',
        '  dataos: { type: dataos, url: https://acme.dataos.app, token_env: DATAOS_APIKEY }',
        'keys:',
        '  - { name: presto, kind: dataos.api_key, provider: dataos, outputs: [{ type: file, path: p.token }] }',
        '  - name: spark',
        '    kind: dataos.api_key',
        '    provider: dataos',
        '    user: svc-spark',
        '    token_name: spark-job',
        '    duration: 720h',
        '    outputs: [ { type: file, path: s.token }, { type: env_file, path: s.env, prefix: SPARK_ } ]',
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(config?.keys.map((k) => [k.owner, k.attributes, k.passphrase])).toEqual([
      [DATAOS_CALLER, { token_name: 'presto', duration: '24h' }, { none: true }],
      ['svc-spark', { token_name: 'spark-job', duration: '720h', user: 'svc-spark' }, { none: true }],
    ]);
    expect(config?.providers['dataos']?.settings).toEqual({ url: 'https://acme.dataos.app', token_env: 'DATAOS_APIKEY', auth_header: 'apikey' });
  });

  it('reports every bad field at its place', () => {
    const text = lines(
      'version: 1',
      'providers:',
      '  a: { type: dataos, url: https://acme.dataos.app, endpoint: sandbox, auth_header: basic }',
      '  b: { type: dataos, url: http://acme.dataos.app }',
      '  c: { type: dataos }',
      'keys:',
      '  - name: k',
      '    kind: dataos.api_key',
      '    provider: a',
      '    duration: 30m',
      '    token_name: -x',
      '    user: "@me"',
      '    passphrase: none',
      '    outputs: [ { type: oci_config, path: o, profile: P } ]',
    );
    expect(check(text).diagnostics.map(formatDiagnostic)).toEqual([
      'keys.yaml:3:6: providers.a: set either url or endpoint: sandbox, not both',
      'keys.yaml:3:84: providers.a.auth_header: must be one of: apikey, bearer',
      'keys.yaml:4:6: providers.b: missing required field "token_env"',
      'keys.yaml:4:27: providers.b.url: must be an https URL such as https://acme.dataos.app (plain http only for 127.0.0.1 or localhost)',
      'keys.yaml:5:6: providers.c: missing required field "token_env"',
      'keys.yaml:5:6: providers.c: missing required field "url"',
      'keys.yaml:10:15: keys[0].duration: must be a Go duration of at least one hour, such as 24h, 720h or 1h30m',
      'keys.yaml:11:17: keys[0].token_name: must contain only letters, digits, "_" and "-", not starting with "-"',
      'keys.yaml:12:11: keys[0].user: must be a DataOS user id (letters, digits and ._@+-, starting with a letter or digit)',
      'keys.yaml:13:5: keys[0]: unknown field "passphrase" (allowed: name, kind, provider, depends_on, rotation, token_name, user, duration, outputs)',
      'keys.yaml:14:24: keys[0].outputs[0].type: must be file, env_file, exec, vault_kv or github_secret for a dataos.api_key',
    ]);
  });

  it('accepts the sandbox without a token variable, and loopback http for a local emulator', () => {
    for (const block of ['{ type: dataos, endpoint: sandbox }', '{ type: dataos, url: "http://127.0.0.1:8080", token_env: T, auth_header: bearer }']) {
      const text = lines(
        'version: 1',
        'providers:',
        `  d: ${block}`,
        'keys:',
        '  - { name: k, kind: dataos.api_key, provider: d, outputs: [{ type: file, path: k.token }] }',
      );
      expect(check(text).diagnostics).toEqual([]);
    }
  });

  it('documents in the schema the defaults the resolver fills in', () => {
    const definitions = buildKeysSchema(defaultRegistry)['definitions'] as Record<
      string,
      { allOf: { if: { properties: Record<string, { const: string }> }; then: { properties: Record<string, { default?: unknown }> } }[] }
    >;
    const block = (def: string, field: string, value: string) => definitions[def]?.allOf.find((b) => b.if.properties[field]?.const === value)?.then.properties;
    expect(block('provider', 'type', 'dataos')?.['auth_header']?.default).toBe(dataosProvider.blockDefaults?.['auth_header']);
    expect(block('key', 'kind', 'dataos.api_key')?.['duration']?.default).toBe(DATAOS_DEFAULT_DURATION);
  });
});
