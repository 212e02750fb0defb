/**
 * The `file` sink: the key's file material (e.g. an encrypted private key PEM) in a
 * file of mode 0600, replaced atomically so a reader never sees half a key.
 */
import type { OutputSpec } from '../model/desired.js';
import type { SecretMaterial } from '../providers/contract.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { ioOutputError } from './output-error.js';

/** Writes `material.file` to `absPath` (mode 0600, parent folders 0700). */
export async function writeFileOutput(spec: OutputSpec, absPath: string, material: SecretMaterial): Promise<void> {
  try {
    await atomicWriteFile(absPath, material.file.reveal(), { mode: 0o600, dirMode: 0o700 });
  } catch (error) {
    throw ioOutputError(spec, absPath, error);
  }
}
