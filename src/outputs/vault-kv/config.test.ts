/** keys.yaml entries of a `vault_kv` output: the schema fragment, with positions, and the token variable by name. */
import { describe, expect, it } from 'vitest';
import { HEADER, ociKey, problems, yaml } from '../../../test/config/helpers.js';
import { defaultRegistry } from '../../providers/registry.js';

// The type is registered with the core outputs (outputs/core.ts).
const providers = defaultRegistry;

const withOutput = (output: string): string =>
  yaml(...HEADER, ...ociKey('a', '    outputs:', '      - { type: file, path: a.pem }', `      - { type: vault_kv, ${output} }`));

describe('vault_kv in keys.yaml', () => {
  it('accepts a full entry and an entry pointed at the sandbox without a token variable', () => {
    const full =
      'address: "https://vault.example.com:8200", mount: secret, path: ci/a, token_env: VAULT_TOKEN, namespace: team1, fields: { file: PRIVATE_KEY }';
    expect(problems(withOutput(full), { providers, env: { CI_PASS: 'x', VAULT_TOKEN: 'hvs.x' } })).toEqual([]);
    expect(problems(withOutput('address: sandbox, mount: secret, path: ci/a'), { providers, env: { CI_PASS: 'x' } })).toEqual([]);
  });

  it('requires token_env away from the sandbox, and names an unset one without its value', () => {
    expect(problems(withOutput('address: "https://v.example", mount: secret, path: ci/a'), { providers, env: { CI_PASS: 'x' } })).toEqual([
      'keys.yaml:12:9: keys[0].outputs[1]: missing required field "token_env"',
    ]);
    expect(
      problems(withOutput('address: "https://v.example", mount: secret, path: ci/a, token_env: VAULT_TOKEN'), { providers, env: { CI_PASS: 'x' } }),
    ).toEqual([
      'keys.yaml:12:95: keys[0].outputs[1].token_env: environment variable VAULT_TOKEN is not set (it holds the Vault token of the vault_kv output of key "a")',
    ]);
  });

  it('refuses a bad address, mount or path at its field', () => {
    const found = problems(withOutput('address: "vault:8200", mount: /secret/, path: "ci//a", token_env: T'), { providers, env: { CI_PASS: 'x', T: 't' } });
    expect(found).toEqual([
      expect.stringContaining('keys[0].outputs[1].address: must be an http(s) URL such as https://vault.example.com:8200, or `sandbox`'),
      expect.stringContaining('keys[0].outputs[1].mount: must be a mount path such as `secret`, without slashes at either end'),
      expect.stringContaining('keys[0].outputs[1].path: must be a secret path such as `ci/deploy`, without slashes at either end'),
    ]);
  });
});
