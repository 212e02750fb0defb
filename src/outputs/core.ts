/**
 * The output types every kind can write, whatever its provider: `file`, `env_file`,
 * `exec` and the secret stores `vault_kv` and `github_secret`.
 * Providers add their own (a CLI's config-file profile) in their folders; the registry
 * puts them all together.
 */
import type { OutputModule } from '../providers/module.js';
import { execOutput } from './exec/module.js';
import { githubSecretOutput } from './github-secret/module.js';
import { vaultKvOutput } from './vault-kv/index.js';
import { absPathOf, describePath } from './file-based.js';
import { OUTPUT_ORDER } from './order.js';
import { writeFileUndoably } from './rollback.js';
import { readEnvFileSecrets, writeEnvFileOutput } from './sink-env-file.js';
import { readIfPresent } from './read-back.js';
import { Secret } from '../model/secret.js';
import { writeFileOutput } from './sink-file.js';

/** `file`: the key's file material (a PEM, a JSON document, a bare token), mode 0600. */
export const fileOutput: OutputModule = {
  type: 'file',
  summary: "`file`: the key's secret as one file (a PEM, a JSON document or a bare token, as the kind says), mode 0600, written atomically.",
  schema: { required: ['path'], properties: { path: true } },
  order: OUTPUT_ORDER.file,
  writesFileAtPath: true,
  describe: describePath,
  write: (spec, material, ctx) => {
    const absPath = absPathOf(spec, ctx);
    return writeFileUndoably(absPath, () => writeFileOutput(spec, absPath, material));
  },
  readBack: async (spec, ctx) => {
    const text = await readIfPresent(absPathOf(spec, ctx));
    return text === undefined ? undefined : { file: new Secret(text) };
  },
};

/** `env_file`: NAME=VALUE lines of the key's values and secrets. */
export const envFileOutput: OutputModule = {
  type: 'env_file',
  summary: '`env_file`: KEY=VALUE lines of the values and secrets, for dotenv loaders and `set -a; . file`.',
  schema: {
    required: ['path'],
    properties: {
      path: true,
      prefix: {
        title: 'Variable prefix',
        description: 'Prefix of the variable names written, e.g. `CI_`.',
        type: 'string',
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        patternErrorMessage: 'must be a valid start of an environment variable name (letters, digits and "_", not starting with a digit)',
      },
    },
  },
  order: OUTPUT_ORDER.envFile,
  writesFileAtPath: true,
  describe: describePath,
  write: (spec, material, ctx) => {
    const absPath = absPathOf(spec, ctx);
    return writeFileUndoably(absPath, () => writeEnvFileOutput(spec, absPath, material, ctx.keyName));
  },
  readBack: async (spec, ctx, secretNames) => {
    const text = await readIfPresent(absPathOf(spec, ctx));
    const secrets = text === undefined ? undefined : readEnvFileSecrets(spec, text, secretNames);
    return secrets === undefined ? undefined : { secrets };
  },
};

/** The core output types, in schema order. */
export const CORE_OUTPUTS: readonly OutputModule[] = [fileOutput, envFileOutput, execOutput, vaultKvOutput, githubSecretOutput];
