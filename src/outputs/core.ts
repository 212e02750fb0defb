/**
 * The output types every kind can write, whatever its provider: `file` and `env_file`.
 * Providers add their own (a CLI's config-file profile) in their folders; the registry
 * puts them all together.
 */
import type { OutputModule } from '../providers/module.js';
import { writeEnvFileOutput } from './sink-env-file.js';
import { writeFileOutput } from './sink-file.js';

/** `file`: the key's file material (a PEM, a JSON document, a bare token), mode 0600. */
export const fileOutput: OutputModule = {
  type: 'file',
  summary: "`file`: the key's secret as one file (a PEM, a JSON document or a bare token, as the kind says), mode 0600, written atomically.",
  schema: { properties: { path: true } },
  order: 0,
  write: (spec, material, ctx) => writeFileOutput(spec, ctx.absPath, material),
};

/** `env_file`: NAME=VALUE lines of the key's values and secrets. */
export const envFileOutput: OutputModule = {
  type: 'env_file',
  summary: '`env_file`: KEY=VALUE lines of the values and secrets, for dotenv loaders and `set -a; . file`.',
  schema: {
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
  order: 1,
  write: (spec, material, ctx) => writeEnvFileOutput(spec, ctx.absPath, material, ctx.keyName),
};

/** The core output types, in schema order. */
export const CORE_OUTPUTS: readonly OutputModule[] = [fileOutput, envFileOutput];
