/** keys.yaml entries of kind outscale.access_key and `outscale` provider blocks: mapping and schema messages. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load.js';
import { problems, yaml } from '../../../test/config/helpers.js';

const HEADER = ['version: 1', 'providers:', '  osc: { type: outscale, region: eu-west-2, profile: default }', 'keys:'];

/** A valid entry (4 lines before `extra`). */
function oscKey(name: string, ...extra: string[]): string[] {
  return [`  - name: ${name}`, '    kind: outscale.access_key', '    provider: osc', `    outputs: [{ type: file, path: out/${name}.json }]`, ...extra];
}

describe('kind outscale.access_key in keys.yaml', () => {
  it('maps user_name to the owner, expires_in to its canonical form, state to ACTIVE by default', () => {
    const text = yaml(...HEADER, ...oscKey('etl', '    user_name: etl-bot', '    expires_in: 2160h', '    state: INACTIVE'), ...oscKey('self'));
    const config = parseConfigText(text, 'keys.yaml', '/repo', { env: {}, checkEnv: true });
    expect(config.keys.map((k) => [k.owner, k.attributes, k.passphrase])).toEqual([
      ['etl-bot', { user_name: 'etl-bot', expires_in: '90d', state: 'INACTIVE' }, { none: true }],
      ['(caller)', { expires_in: null, state: 'ACTIVE' }, { none: true }],
    ]);
    expect(config.providers['osc']?.settings).toEqual({ region: 'eu-west-2', profile: 'default' });
  });

  it('needs at least one output, since the secret is shown only once', () => {
    const noOutputs = yaml(...HEADER, '  - name: a', '    kind: outscale.access_key', '    provider: osc');
    expect(problems(noOutputs)).toEqual(['keys.yaml:5:5: keys[0]: missing required field "outputs"']);
    const empty = yaml(...HEADER, '  - name: a', '    kind: outscale.access_key', '    provider: osc', '    outputs: []');
    expect(problems(empty)).toEqual([
      'keys.yaml:8:14: keys[0].outputs: must list at least one output: OUTSCALE shows the secret key only once, at creation, so it must be written somewhere',
    ]);
  });

  it('rejects oci_config outputs, sub-minute lifetimes, passphrases and bad user names', () => {
    const text = yaml(
      ...HEADER,
      '  - name: a',
      '    kind: outscale.access_key',
      '    provider: osc',
      '    outputs: [{ type: oci_config, path: cfg, profile: A }]',
      '    expires_in: 90s',
      '    user_name: "etl bot"',
      '    state: active',
      '    passphrase: { env: CI_PASS }',
    );
    expect(problems(text)).toEqual([
      'keys.yaml:8:23: keys[0].outputs[0].type: must be file, env_file, exec, vault_kv, github_secret or osc_config for an outscale.access_key',
      'keys.yaml:9:17: keys[0].expires_in: must be a positive duration in whole minutes or more, such as 90d, 720h or 30m',
      'keys.yaml:10:16: keys[0].user_name: must be an EIM user name (up to 64 letters, digits and +=,.@_-)',
      'keys.yaml:11:12: keys[0].state: must be one of: ACTIVE, INACTIVE',
      'keys.yaml:12:5: keys[0]: unknown field "passphrase" (allowed: name, kind, provider, depends_on, rotation, outputs, user_name, expires_in, state)',
    ]);
  });

  it('lets osc_config outputs share a file with distinct profiles only', () => {
    const out = (profile: string) => `    outputs: [{ type: osc_config, path: ~/.osc/config.json, profile: ${profile} }]`;
    const entry = (name: string, profile: string) => [`  - name: ${name}`, '    kind: outscale.access_key', '    provider: osc', out(profile)];
    expect(problems(yaml(...HEADER, ...entry('a', 'a'), ...entry('b', 'b')))).toEqual([]);
    expect(problems(yaml(...HEADER, ...entry('a', 'same'), ...entry('b', 'same')))).toEqual([
      'keys.yaml:12:70: keys[1].outputs[0].profile: profile "same" of "~/.osc/config.json" is already written by keys[0].outputs[0] (key "a", line 8)',
    ]);
  });

  it('checks the outscale provider block', () => {
    const good = yaml(
      'version: 1',
      'providers:',
      '  a: { type: outscale, endpoint: sandbox }',
      '  b: { type: outscale, endpoint: api.example.test, auth: basic, login_env: L, password_env: P }',
      '  c: { type: outscale, endpoint: "https://gw.example.test/api/v1", signature_scheme: AWS4, config_file: ~/osc.json }',
    );
    expect(problems(good)).toEqual([]);
    const bad = yaml('version: 1', 'providers:', '  a: { type: outscale, endpoint: "ftp://x", auth: token, region: EU, tenancy: t }');
    expect(problems(bad)).toEqual([
      'keys.yaml:3:34: providers.a.endpoint: must be "sandbox", an http(s) URL or a host name',
      'keys.yaml:3:51: providers.a.auth: must be one of: signature, basic',
      'keys.yaml:3:66: providers.a.region: must be an OUTSCALE region such as eu-west-2',
      'keys.yaml:3:70: providers.a: unknown field "tenancy" (allowed: type, region, profile, config_file, endpoint, auth, signature_scheme, login_env, password_env, max_concurrency, requests_per_second)',
    ]);
  });
});
