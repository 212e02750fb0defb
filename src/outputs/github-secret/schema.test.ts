/**
 * The `github_secret` fields in keys.yaml, checked by the config loader with the module
 * registered: each bad entry is refused with a message at its field, and validate names
 * an unset token variable.
 */
import { describe, expect, it } from 'vitest';
import { checkConfigText } from '../../config/load.js';
import { formatDiagnostic } from '../../errors/diagnostic.js';
import { defaultRegistry } from '../../providers/registry.js';

// The type is registered with the core outputs (outputs/core.ts).
const registry = defaultRegistry;

function problems(output: string, env: Record<string, string> = { GH_TOKEN: 'x' }, second?: string): string[] {
  const text = [
    'version: 1',
    'providers:',
    '  oci: { type: oci, endpoint: sandbox }',
    'keys:',
    '  - name: a',
    '    kind: oci.api_key',
    '    provider: oci',
    '    user: ocid1.user.oc1..alice',
    '    passphrase: none',
    `    outputs: [${output}]`,
    ...(second === undefined
      ? []
      : ['  - name: b', '    kind: oci.api_key', '    provider: oci', '    user: ocid1.user.oc1..bob', '    passphrase: none', `    outputs: [${second}]`]),
    '',
  ].join('\n');
  return checkConfigText(text, 'keys.yaml', '/repo', { env, checkEnv: true, providers: registry }).diagnostics.map(formatDiagnostic);
}

describe('github_secret in keys.yaml', () => {
  it.each([
    '{ type: github_secret, repository: octo/app, name: OCI_KEY, token_env: GH_TOKEN }',
    '{ type: github_secret, repository: octo/app, environment: production, name: OCI_KEY, token_env: GH_TOKEN, field: private_key }',
    '{ type: github_secret, organization: octo, visibility: selected, name: OCI_KEY, token_env: GH_TOKEN, api_url: "https://ghe.example.com/api/v3" }',
    '{ type: github_secret, repository: octo/app, name: OCI_KEY, api_url: sandbox }',
  ])('accepts %s', (output) => {
    expect(problems(output)).toEqual([]);
  });

  it.each([
    ['{ type: github_secret, repository: octo/app, name: GITHUB_KEY, token_env: GH_TOKEN }', 'keys[0].outputs[0].name: must contain only letters'],
    ['{ type: github_secret, repository: octo/app, name: 9KEY, token_env: GH_TOKEN }', 'keys[0].outputs[0].name: must contain only letters'],
    ['{ type: github_secret, repository: octo/app, name: MY-KEY, token_env: GH_TOKEN }', 'keys[0].outputs[0].name: must contain only letters'],
    ['{ type: github_secret, repository: octo, name: K, token_env: GH_TOKEN }', 'keys[0].outputs[0].repository: must be owner/repo'],
    ['{ type: github_secret, name: K, token_env: GH_TOKEN }', 'keys[0].outputs[0]: missing required field "repository"'],
    ['{ type: github_secret, repository: octo/app, name: K }', 'keys[0].outputs[0]: missing required field "token_env"'],
    ['{ type: github_secret, repository: octo/app, organization: octo, name: K, token_env: GH_TOKEN }', 'set either organization or repository'],
    ['{ type: github_secret, repository: octo/app, visibility: all, name: K, token_env: GH_TOKEN }', 'visibility applies to organization secrets only'],
    ['{ type: github_secret, repository: octo/app, name: K, token_env: GH_TOKEN, api_url: "http://api.github.com" }', 'must be "sandbox" or an https URL'],
    ['{ type: github_secret, repository: octo/app, name: K, token_env: GH_TOKEN, path: x }', 'unknown field "path"'],
  ])('refuses %s', (output, message) => {
    const found = problems(output);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(message);
  });

  it('names an unset token variable, and only its name', () => {
    const found = problems('{ type: github_secret, repository: octo/app, name: K, token_env: GH_TOKEN }', {});
    expect(found).toEqual([
      'keys.yaml:10:80: keys[0].outputs[0].token_env: environment variable GH_TOKEN is not set (it holds the GitHub token of the github_secret output of key "a")',
    ]);
  });

  it('refuses two outputs writing one secret, whatever the letter case', () => {
    const found = problems(
      '{ type: github_secret, repository: octo/app, name: DEPLOY_KEY, token_env: GH_TOKEN }',
      { GH_TOKEN: 'x' },
      '{ type: github_secret, repository: Octo/App, name: deploy_key, token_env: GH_TOKEN }',
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^keys\.yaml:16:\d+: keys\[1\]\.outputs\[0\]: github_secret https:\/\/api\.github\.com\/repos\/octo\/app\/actions\/secrets\/DEPLOY_KEY is already written by .*key "a", line 10/,
      ),
    ]);
    const apart = problems(
      '{ type: github_secret, repository: octo/app, name: DEPLOY_KEY, token_env: GH_TOKEN }',
      { GH_TOKEN: 'x' },
      '{ type: github_secret, repository: octo/app, environment: production, name: DEPLOY_KEY, token_env: GH_TOKEN }',
    );
    expect(apart).toEqual([]);
  });
});
