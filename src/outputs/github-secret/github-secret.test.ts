/**
 * The `github_secret` output against the GitHub emulator: what arrives decrypts to the
 * chosen value, in a repository, an environment or an organization; 401/403/404/422 fail
 * the output with a message naming the place, the secret and the token's variable, and
 * never the token or the value; the module's static parts (order, no undo, env settings,
 * sandbox use) are what the engine and validate read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { startGithubEmulator, type GithubEmulator, type GithubEmulatorOptions } from '../../emulators/github/index.js';
import type { OutputSpec } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { SecretMaterial } from '../../providers/contract.js';
import type { OutputWriteContext } from '../../providers/module.js';
import { outputContext } from '../../../test/helpers/outputs.js';
import { OUTPUT_ERROR_CODES, OUTPUT_ORDER, OutputError, writeOutputs } from '../index.js';
import { githubSecretOutput } from './index.js';

const SECRET_KEY = 'osc-secret-key-0123456789abcdefghij';
const FILE = JSON.stringify({ access_key_id: 'AKID1', secret_key: SECRET_KEY });

const material: SecretMaterial = {
  file: new Secret(FILE),
  secrets: { secret_key: new Secret(SECRET_KEY) },
  values: { access_key_id: 'AKID1' },
};

async function github(options: GithubEmulatorOptions = {}): Promise<GithubEmulator> {
  const gh = await startGithubEmulator(options);
  onTestFinished(() => gh.close());
  return gh;
}

function context(env: Record<string, string>, overrides: Partial<OutputWriteContext> = {}): OutputWriteContext {
  return { baseDir: '/nonexistent', keyName: 'ci', kind: 'outscale.access_key', owner: 'acct', liveId: 'AKID1', env, ...overrides };
}

const spec = (gh: GithubEmulator, fields: Record<string, unknown>): OutputSpec => ({
  type: 'github_secret',
  api_url: gh.url,
  token_env: 'GH_TOKEN',
  ...fields,
});

/** The OutputError a write failed with; the test fails when it did not fail. */
async function failure(write: Promise<unknown>): Promise<OutputError> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutputError);
  return error as OutputError;
}

/** Neither the token nor any secret form shows in the error, however it is printed. */
function expectClean(error: OutputError, token: string): void {
  for (const text of [error.message, inspect(error), JSON.stringify(error), String(error.cause ?? '')]) {
    for (const secret of [token, SECRET_KEY, FILE]) expect(text).not.toContain(secret);
  }
}

describe('github_secret output: delivery', () => {
  it('stores the file material by default, and creates then updates', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const token = gh.addToken({ 'octo/app': 'write' });
    const out = spec(gh, { repository: 'octo/app', name: 'OSC_KEY' });
    await githubSecretOutput.write(out, material, context({ GH_TOKEN: token }));
    expect(gh.secretValue({ repository: 'octo/app' }, 'OSC_KEY')).toBe(FILE);
    const next: SecretMaterial = { ...material, file: new Secret('second') };
    // An update cannot be undone: GitHub never gives the replaced value back.
    await expect(githubSecretOutput.write(out, next, context({ GH_TOKEN: token }))).resolves.toBeUndefined();
    expect(gh.secretValue({ repository: 'octo/app' }, 'OSC_KEY')).toBe('second');
    expect(gh.requestLog.filter((r) => r.op === 'put').map((r) => r.status)).toEqual([201, 204]);
  });

  it('a secret it created is deleted again when a later output of the key fails', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const token = gh.addToken({ 'octo/app': 'write' });
    const first = spec(gh, { repository: 'octo/app', name: 'FIRST' });
    // A repository the token cannot see: the second output fails after the first was written.
    const second = spec(gh, { repository: 'octo/hidden', name: 'SECOND' });
    const write = writeOutputs([first, second], material, {
      ...outputContext('/nonexistent', 'ci', { env: { GH_TOKEN: token } }),
      types: new Map([[githubSecretOutput.type, githubSecretOutput]]),
    });
    const error = await failure(write);
    expect(error.message).toMatch(/^github_secret output octo\/hidden SECOND: repository octo\/hidden was not found/);
    expect(gh.secretNames({ repository: 'octo/app' })).toEqual([]);
    expect(gh.requestLog.filter((r) => r.op === 'delete').map((r) => r.status)).toEqual([204]);
  });

  it('stores one named value with field, in an environment or an organization', async () => {
    const gh = await github();
    gh.addRepository('octo/app', { environments: ['production'] });
    gh.addOrganization('octo');
    const token = gh.addToken({ 'octo/app': 'write', octo: 'write' });
    await githubSecretOutput.write(
      spec(gh, { repository: 'octo/app', environment: 'production', name: 'SK', field: 'secret_key' }),
      material,
      context({ GH_TOKEN: token }),
    );
    expect(gh.secretValue({ repository: 'octo/app', environment: 'production' }, 'SK')).toBe(SECRET_KEY);
    expect(gh.secretNames({ repository: 'octo/app' })).toEqual([]);
    await githubSecretOutput.write(
      spec(gh, { organization: 'octo', name: 'AKID', field: 'access_key_id', visibility: 'all' }),
      material,
      context({ GH_TOKEN: token }),
    );
    expect(gh.secretValue({ organization: 'octo' }, 'AKID')).toBe('AKID1');
  });

  it('api_url: sandbox uses the emulator the engine started, with its bootstrap token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyplan-github-sandbox-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const service = await githubSecretOutput.startSandbox?.({ dataDir, port: 0, latencyMs: 0, failRate: 0 });
    if (service === undefined) throw new Error('Expected github_secret to start a sandbox');
    onTestFinished(() => service.close());
    const out: OutputSpec = { type: 'github_secret', api_url: 'sandbox', repository: 'anyone/anything', name: 'TOKEN' };
    expect(githubSecretOutput.usesSandbox?.(out)).toBe(true);
    expect(githubSecretOutput.envSettings?.(out)).toEqual([]);
    await githubSecretOutput.write(out, material, context({}, { sandbox: service.endpoint }));
    const res = await fetch(`${service.endpoint.url}/repos/anyone/anything/actions/secrets/TOKEN`, {
      headers: { authorization: `Bearer ${service.endpoint.credentials['token'] ?? ''}` },
    });
    expect(await res.json()).toMatchObject({ name: 'TOKEN' });
  });

  it('a field the key does not have fails before any call, listing the names it has', async () => {
    const gh = await github();
    const error = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'X', field: 'nope' }), material, context({ GH_TOKEN: 't' })));
    expect(error.message).toBe('github_secret output octo/app X: key ci has no value "nope" to store (field may be: access_key_id, file, secret_key)');
    expect(gh.requestLog).toEqual([]);
  });

  it('an unset token variable fails naming the variable only', async () => {
    const gh = await github();
    const error = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'X' }), material, context({})));
    expect([error.message, error.code]).toEqual([
      'github_secret output octo/app X: the environment variable GH_TOKEN (the GitHub token) is not set',
      OUTPUT_ERROR_CODES.config,
    ]);
  });
});

describe('github_secret output: refusals', () => {
  it('401: the token is unknown', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const error = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'X' }), material, context({ GH_TOKEN: 'ghp_revoked' })));
    expect(error.message).toBe(
      'github_secret output octo/app X: GitHub rejected the token in GH_TOKEN (401 Bad credentials): it is unknown, expired or revoked',
    );
    expect(error.code).toBe(OUTPUT_ERROR_CODES.auth);
    expectClean(error, 'ghp_revoked');
  });

  it('403: the token may read but not write, with the permission it needs', async () => {
    const gh = await github();
    gh.addRepository('octo/app', { environments: ['production'] });
    const token = gh.addToken({ 'octo/app': 'read' });
    const out = spec(gh, { repository: 'octo/app', environment: 'production', name: 'X' });
    const error = await failure(githubSecretOutput.write(out, material, context({ GH_TOKEN: token })));
    expect(error.message).toBe(
      'github_secret output octo/app environment production X: the token in GH_TOKEN may not write the Actions secrets of environment production of repository octo/app (403 Resource not accessible by integration); it needs the "Secrets" repository permission with read and write access (a classic token: the `repo` scope)',
    );
    expect(error.code).toBe(OUTPUT_ERROR_CODES.auth);
    expectClean(error, token);
    expect(gh.secretNames({ repository: 'octo/app', environment: 'production' })).toEqual([]);
  });

  it('404: a repository the token cannot see, and an environment that does not exist', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const token = gh.addToken({ 'octo/app': 'write' });
    const hidden = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/private', name: 'X' }), material, context({ GH_TOKEN: token })));
    expect(hidden.message).toBe(
      'github_secret output octo/private X: repository octo/private was not found, or the token in GH_TOKEN may not see it (404 Not Found; GitHub answers 404 for both)',
    );
    const env = await failure(
      githubSecretOutput.write(spec(gh, { repository: 'octo/app', environment: 'staging', name: 'X' }), material, context({ GH_TOKEN: token })),
    );
    expect(env.message).toContain('environment staging of repository octo/app was not found');
    expect(env.message).toContain('an environment must exist');
    expectClean(env, token);
  });

  it('422 on the PUT fails the output with GitHub’s words and no value in them', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const token = gh.addToken({ 'octo/app': 'write' });
    gh.failNextPuts(1, 422);
    const error = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'OSC_KEY' }), material, context({ GH_TOKEN: token })));
    expect(error.message).toBe('github_secret output octo/app OSC_KEY: GitHub refused secret OSC_KEY for repository octo/app (422 Validation Failed)');
    expect([error.code, error.source]).toEqual([OUTPUT_ERROR_CODES.store, 'provider']);
    expectClean(error, token);
    expect(gh.secretNames({ repository: 'octo/app' })).toEqual([]);
  });

  it('a 422 for a key that changed between the two calls names the improper encryption', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const token = gh.addToken({ 'octo/app': 'write' });
    // GitHub may rotate the key; a box sealed for the old one does not open. The key turns
    // over as the public-key answer reaches the output, so always before its PUT.
    const realFetch = globalThis.fetch;
    const rotating = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const answer = await realFetch(input, init);
      if (String(input).endsWith('/public-key')) gh.rotateKey({ repository: 'octo/app' });
      return answer;
    });
    try {
      const error = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'K' }), material, context({ GH_TOKEN: token })));
      expect(error.message).toContain('(422 Bad request - validation failed due to an improperly encrypted secret)');
      expect(rotating.mock.calls.some(([input]) => String(input).endsWith('/public-key'))).toBe(true);
    } finally {
      rotating.mockRestore();
    }
  });

  it('503 is tried again, and a persistent one fails naming the status', async () => {
    const gh = await github();
    gh.addRepository('octo/app');
    const token = gh.addToken({ 'octo/app': 'write' });
    gh.failNextPuts(2, 503);
    await githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'K' }), material, context({ GH_TOKEN: token }));
    expect(gh.secretValue({ repository: 'octo/app' }, 'K')).toBe(FILE);
    gh.failNextPuts(3, 503);
    const error = await failure(githubSecretOutput.write(spec(gh, { repository: 'octo/app', name: 'K' }), material, context({ GH_TOKEN: token })));
    expect(error.message).toBe(
      'github_secret output octo/app K: GitHub answered 503 Server Error when asked to write the Actions secrets of repository octo/app',
    );
  });

  it('an unreachable API fails naming the URL', async () => {
    const out: OutputSpec = { type: 'github_secret', api_url: 'http://127.0.0.1:9', repository: 'octo/app', name: 'K', token_env: 'GH_TOKEN' };
    const error = await failure(githubSecretOutput.write(out, material, context({ GH_TOKEN: 'ghp_x' })));
    expect(error.message).toMatch(/^github_secret output octo\/app K: cannot reach http:\/\/127\.0\.0\.1:9: /);
    expectClean(error, 'ghp_x');
  });
});

describe('github_secret output: module', () => {
  it('is written last, names its place, and asks validate for its token variable', () => {
    expect(githubSecretOutput.order).toBe(OUTPUT_ORDER.githubSecret);
    expect(Math.max(...Object.values(OUTPUT_ORDER))).toBe(githubSecretOutput.order);
    const org: OutputSpec = { type: 'github_secret', organization: 'octo', name: 'K', token_env: 'ORG_TOKEN' };
    expect(githubSecretOutput.describe(org)).toBe('organization octo K');
    expect(githubSecretOutput.envSettings?.(org)).toEqual([{ field: 'token_env', holds: 'the GitHub token' }]);
    expect(githubSecretOutput.usesSandbox?.(org)).toBe(false);
  });
});
