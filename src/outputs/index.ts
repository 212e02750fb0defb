/**
 * src/outputs: the secret sinks, the only places key material is written to. Each output
 * file is replaced atomically with mode 0600; errors name the output and the reason and
 * never the secret.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { OutputSpec } from '../model/desired.js';
import type { SecretMaterial } from '../providers/contract.js';
import { serializedByPath } from '../fs/atomic-write.js';
import { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from './output-error.js';
import { recordWritten, restoreFiles, snapshotFile, type FileSnapshot } from './rollback.js';
import { InternalError } from '../errors/errors.js';
import type { OutputModule, OutputWriteContext } from '../providers/module.js';

export { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from './output-error.js';

/** Where the outputs of one key go. */
export interface OutputContext {
  /** Folder relative output paths resolve against (the config file's folder). */
  readonly baseDir: string;
  /** The key's name: ownership marker of shared files (profiles, env files). */
  readonly keyName: string;
  /** The output types by `type` (the registry's `outputs`). */
  readonly types: ReadonlyMap<string, OutputModule>;
}

/**
 * Writes every output of one key; all-or-nothing per output file (atomic); returns the
 * written paths (relative as written), in the order written: by each type's `order`
 * (`file` first, then `env_file`, then profiles that point at the file), each group in
 * declaration order. Stops at
 * the first failure and puts the outputs written before it back as they were (see
 * rollback.ts). Throws OutputError (a KeyplanError,
 * code KP_OUTPUT_E...) naming the output path and reason, never the secret.
 */
export async function writeOutputs(specs: readonly OutputSpec[], material: SecretMaterial, ctx: OutputContext): Promise<string[]> {
  const moduleOf = (spec: OutputSpec): OutputModule => {
    const found = ctx.types.get(spec.type);
    if (found === undefined) throw new InternalError(`Expected output type "${spec.type}" to have been rejected by the config schema`);
    return found;
  };
  const ordered = [...specs].sort((a, b) => moduleOf(a).order - moduleOf(b).order);
  const keyFile = specs.find((s) => s.type === 'file');
  const keyFilePath = keyFile === undefined ? undefined : resolveOutputPath(ctx.baseDir, keyFile.path);
  const written: string[] = [];
  const snapshots: FileSnapshot[] = [];
  for (const spec of ordered) {
    const absPath = resolveOutputPath(ctx.baseDir, spec.path);
    try {
      // Keys applied concurrently may share a file (typically one CLI config file with a profile per key).
      await serializedByPath(absPath, async () => {
        const snapshot = await snapshotFile(absPath).catch(() => undefined);
        await writeOne(moduleOf(spec), spec, material, { absPath, keyName: ctx.keyName, ...(keyFilePath !== undefined ? { keyFile: keyFilePath } : {}) });
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

async function writeOne(output: OutputModule, spec: OutputSpec, material: SecretMaterial, target: OutputWriteContext): Promise<void> {
  // A type that points at another output of the key (a profile's key_file) cannot be written without it.
  if (output.needsFileOutput !== undefined && target.keyFile === undefined) {
    throw new OutputError(spec, `key ${target.keyName} needs a file output ${output.needsFileOutput}`, {
      code: OUTPUT_ERROR_CODES.config,
      source: 'user',
    });
  }
  await output.write(spec, material, target);
}

/** Resolves an output path as written: `~/` is the home folder, relative paths start at `baseDir`. */
export function resolveOutputPath(baseDir: string, path: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return resolve(baseDir, path);
}
