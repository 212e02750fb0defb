/** Reading a delivered file back (OutputModule.readBack), in memory only. */
import { readFile } from 'node:fs/promises';
import type { OutputSpec } from '../model/desired.js';
import type { Secret } from '../model/secret.js';
import type { OutputReadBack } from '../providers/module.js';
import { writeContext, type OutputContext } from './index.js';

/** The file's text, or undefined when it does not exist (any other error is thrown). */
export async function readIfPresent(absPath: string): Promise<string | undefined> {
  try {
    return await readFile(absPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads a key's delivered secret back from the outputs that can (OutputModule.readBack),
 * in declaration order: the first `file` found and every secret named in `secretNames`.
 * Undefined when no output holds any of it.
 */
export async function readBackOutputs(specs: readonly OutputSpec[], ctx: OutputContext, secretNames: readonly string[]): Promise<OutputReadBack | undefined> {
  let file: Secret | undefined;
  const secrets: Record<string, Secret> = {};
  for (const spec of specs) {
    const output = ctx.types.get(spec.type);
    if (output?.readBack === undefined) continue;
    const found = await output.readBack(spec, await writeContext(output, spec, ctx, undefined), secretNames);
    if (found?.file !== undefined && file === undefined) file = found.file;
    for (const [name, value] of Object.entries(found?.secrets ?? {})) if (!(name in secrets)) secrets[name] = value;
  }
  if (file === undefined && Object.keys(secrets).length === 0) return undefined;
  return { ...(file !== undefined ? { file } : {}), secrets };
}
