/**
 * src/outputs: the secret sinks, the only places key material is written to. Each output
 * file is replaced atomically with mode 0600; errors name the output and the reason and
 * never the secret.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { OutputSpec } from '../model/desired.js';
import type { SecretMaterial } from '../providers/contract.js';
import { serializedByPath } from './atomic-write.js';
import { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from './output-error.js';
import { recordWritten, restoreFiles, snapshotFile, type FileSnapshot } from './rollback.js';
import { writeEnvFileOutput } from './sink-env-file.js';
import { writeFileOutput } from './sink-file.js';
import { writeOciConfigOutput } from './sink-oci-config.js';
import { writeOscConfigOutput } from './sink-osc-config.js';

export { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from './output-error.js';

/** Where the outputs of one key go. */
export interface OutputContext {
  /** Folder relative output paths resolve against (the config file's folder). */
  readonly baseDir: string;
  /** The key's name: ownership marker of oci_config profiles and env files. */
  readonly keyName: string;
}

/** Write order: the PEM file before the oci_config profile that points at it. */
const ORDER: Readonly<Record<OutputSpec['type'], number>> = { file: 0, env_file: 1, oci_config: 2, osc_config: 2 };

/**
 * Writes every output of one key; all-or-nothing per output file (atomic); returns the
 * written paths (relative as written), in the order written: `file` outputs first, then
 * `env_file`, then `oci_config`/`osc_config`, each group in declaration order. Stops at
 * the first failure and puts the outputs written before it back as they were (see
 * rollback.ts). Throws OutputError (a KeyplanError,
 * code KP_OUTPUT_E...) naming the output path and reason, never the secret.
 */
export async function writeOutputs(
  specs: readonly OutputSpec[],
  material: SecretMaterial,
  ctx: OutputContext,
): Promise<string[]> {
  const ordered = [...specs].sort((a, b) => ORDER[a.type] - ORDER[b.type]);
  const keyFile = specs.find((s) => s.type === 'file');
  const written: string[] = [];
  const snapshots: FileSnapshot[] = [];
  for (const spec of ordered) {
    const absPath = resolveOutputPath(ctx.baseDir, spec.path);
    try {
      // Keys applied concurrently may share a file (typically one OCI config with a profile per key).
      await serializedByPath(absPath, async () => {
        const snapshot = await snapshotFile(absPath).catch(() => undefined);
        await writeOne(spec, absPath, material, ctx, keyFile);
        if (snapshot !== undefined) {
          await recordWritten(snapshot);
          snapshots.push(snapshot);
        }
      });
    } catch (error) {
      // The key is deleted after this failure, so the outputs written so far go back to what they held.
      const left = await restoreFiles(snapshots);
      if (left.length === 0 || !(error instanceof OutputError)) throw error;
      const reason = error.message.slice(`${spec.type} output ${spec.path}: `.length);
      throw new OutputError(spec, `${reason}; ${left.join(', ')} changed meanwhile and still hold the new key's values`, {
        code: error.code as OutputErrorOptions['code'],
        source: error.source,
        cause: error,
      });
    }
    written.push(spec.path);
  }
  return written;
}

async function writeOne(spec: OutputSpec, absPath: string, material: SecretMaterial, ctx: OutputContext, keyFile: OutputSpec | undefined): Promise<void> {
  switch (spec.type) {
    case 'file':
      return writeFileOutput(spec, absPath, material);
    case 'env_file':
      return writeEnvFileOutput(spec, absPath, material, ctx.keyName);
    case 'osc_config':
      return writeOscConfigOutput(spec, { absPath, keyName: ctx.keyName }, material);
    case 'oci_config':
      if (keyFile === undefined) {
        throw new OutputError(spec, `key ${ctx.keyName} needs a file output for the profile's key_file to point at`, {
          code: OUTPUT_ERROR_CODES.config,
          source: 'user',
        });
      }
      return writeOciConfigOutput(spec, { absPath, keyFile: resolveOutputPath(ctx.baseDir, keyFile.path), keyName: ctx.keyName }, material);
  }
}

/** Resolves an output path as written: `~/` is the home folder, relative paths start at `baseDir`. */
export function resolveOutputPath(baseDir: string, path: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return resolve(baseDir, path);
}
