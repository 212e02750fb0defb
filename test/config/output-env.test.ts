/** validate names the token variables an output's settings name (OutputModule.envSettings), never their values. */
import { describe, expect, it } from 'vitest';
import { CORE_OUTPUTS } from '../../src/outputs/core.js';
import type { OutputModule } from '../../src/providers/module.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from '../../src/providers/registry.js';
import { HEADER, ociKey, problems, yaml } from './helpers.js';

/** A secret-store output whose token comes from `token_env`, except at the sandbox, which supplies one. */
const storeOutput: OutputModule = {
  type: 'store',
  summary: '`store`: a test secret store.',
  schema: { required: ['token_env'], properties: { token_env: { type: 'string' }, address: { type: 'string' } } },
  order: 4,
  describe: () => 'store',
  write: async () => undefined,
  envSettings: (spec) => (spec['address'] === 'sandbox' ? [] : [{ field: 'token_env', holds: 'the store token' }]),
};
const providers = new ProviderRegistry(SHIPPED_PROVIDERS, [...CORE_OUTPUTS, storeOutput]);

const text = yaml(
  ...HEADER,
  ...ociKey('a', '    outputs:', '      - { type: file, path: a.pem }', '      - { type: store, token_env: STORE_TOKEN }'),
  ...ociKey('b', '    outputs:', '      - { type: file, path: b.pem }', '      - { type: store, token_env: SANDBOX_UNUSED, address: sandbox }'),
);

describe('output token variables', () => {
  it('reports an unset or empty token variable by name at its field, skipping outputs pointed at the sandbox', () => {
    expect(problems(text, { providers, env: { CI_PASS: 'x' } })).toEqual([
      'keys.yaml:12:35: keys[0].outputs[1].token_env: environment variable STORE_TOKEN is not set (it holds the store token of the store output of key "a")',
    ]);
    expect(problems(text, { providers, env: { CI_PASS: 'x', STORE_TOKEN: '' } })).toEqual([
      'keys.yaml:12:35: keys[0].outputs[1].token_env: environment variable STORE_TOKEN is empty (it holds the store token of the store output of key "a")',
    ]);
  });

  it('is satisfied by a set variable, whose value is never shown, and skipped when env is not checked', () => {
    expect(problems(text, { providers, env: { CI_PASS: 'x', STORE_TOKEN: 'hvs.SECRET' } })).toEqual([]);
    expect(problems(text, { providers, env: {}, checkEnv: false })).toEqual([]);
  });
});
