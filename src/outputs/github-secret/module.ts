/**
 * The `github_secret` output type: delivers a key's secret into a GitHub Actions secret
 * of a repository, one of its environments, or an organization, encrypted with a
 * libsodium sealed box for the place's public key. GitHub cannot give a secret back, so
 * a rollback cannot restore a value it replaced: the type is written last among a key's
 * outputs (OUTPUT_ORDER.githubSecret), and an update returns no undo (a secret the write
 * created is deleted again on rollback).
 *
 * This file stays cheap to import: the HTTP client and libsodium (write.ts) and the
 * emulator load only when an output is written or the sandbox starts.
 */
import type { OutputModule } from '../../providers/module.js';
import { OUTPUT_ORDER } from '../order.js';
import { githubSecretSchema } from './schema.js';
import { describeGithubSecret, githubSecretDestination, githubSecretSettings } from './settings.js';

/** Sandbox knobs (`SandboxStartOptions.extra`): answer the next N PUTs with a status. */
export const GITHUB_SANDBOX_KNOBS = { failPutCount: 'githubFailPutCount', failPutStatus: 'githubFailPutStatus' } as const;

/** `github_secret`: a GitHub Actions secret (repository, environment or organization). */
export const githubSecretOutput: OutputModule = {
  type: 'github_secret',
  summary:
    '`github_secret`: a GitHub Actions secret of a repository, an environment or an organization, sealed for its public key; written last, since GitHub cannot give back a replaced value (a secret it created is deleted again on rollback).',
  schema: githubSecretSchema,
  order: OUTPUT_ORDER.githubSecret,
  describe: describeGithubSecret,
  destination: githubSecretDestination,
  envSettings: (spec) => {
    const { tokenEnv } = githubSecretSettings(spec);
    return tokenEnv === undefined ? [] : [{ field: 'token_env', holds: 'the GitHub token' }];
  },
  usesSandbox: (spec) => githubSecretSettings(spec).apiUrl === 'sandbox',
  write: async (spec, material, ctx) => {
    const { writeGithubSecret } = await import('./write.js');
    return writeGithubSecret(spec, material, ctx);
  },
  startSandbox: async (options) => {
    const { startGithubEmulator } = await import('../../emulators/github/index.js');
    const count = options.extra?.[GITHUB_SANDBOX_KNOBS.failPutCount];
    const status = options.extra?.[GITHUB_SANDBOX_KNOBS.failPutStatus] ?? 422;
    // Holds the delivered secrets decrypted (a test emulator): the store file has mode 0600.
    const emulator = await startGithubEmulator({ ...options, autoCreate: true, ...(count === undefined ? {} : { failPuts: { status, count } }) });
    return { endpoint: { url: emulator.url, credentials: { token: emulator.bootstrapToken } }, close: () => emulator.close() };
  },
};
