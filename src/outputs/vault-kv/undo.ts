/**
 * Rollback of a `vault_kv` write, run when a later output of the key fails (the new key
 * is then deleted, so its secret must not stay where the config said it goes):
 * - keyplan created the secret: delete it (metadata and every version), unless another
 *   writer added a version since;
 * - the previous version was readable: write its data again with `cas` set to keyplan's
 *   version, so it is current again and a concurrent writer is not overwritten, then
 *   destroy keyplan's version (it holds the deleted key's secret);
 * - the previous version was deleted or destroyed: destroy keyplan's version, so the
 *   secret reads as it did.
 * Each step's failure is thrown as an Error naming the secret and the versions, never a value.
 */
import { logger } from '../../log/logger.js';
import type { VaultKvClient } from './client.js';
import { callFailure, isCasMismatch, secretName, type FailureContext } from './failure.js';

/** What the path held before keyplan's write. */
export type Before =
  | { readonly kind: 'absent' }
  /** A secret whose current version cannot be read (soft-deleted, destroyed, or metadata only at version 0). */
  | { readonly kind: 'no-live-version'; readonly version: number }
  | { readonly kind: 'live'; readonly version: number; readonly data: Readonly<Record<string, unknown>> };

function undoError(failure: FailureContext, doing: string, err: unknown): Error {
  // The cause is the scrubbed OutputError, not Vault's raw answer.
  const scrubbed = callFailure(failure, doing, err);
  return new Error(scrubbed.reason, { cause: scrubbed });
}

/** Puts the secret back as `before` had it; `written` is the version keyplan wrote. */
export async function undoVaultWrite(client: VaultKvClient, failure: FailureContext, before: Before, written: number): Promise<void> {
  const name = secretName(failure.settings);
  if (before.kind === 'absent') {
    const meta = await client.readMetadata().catch((err: unknown) => {
      throw undoError(failure, `reading ${name} to delete the secret keyplan created`, err);
    });
    if (meta === undefined) return;
    if (meta.currentVersion !== written) {
      throw new Error(`another writer changed ${name} (version ${meta.currentVersion}) after keyplan created it at version ${written}; left as it is`);
    }
    await client.deleteMetadata().catch((err: unknown) => {
      throw undoError(failure, `deleting ${name}, which keyplan created`, err);
    });
    return;
  }
  if (before.kind === 'live') {
    try {
      await client.write(before.data, written);
    } catch (err) {
      if (isCasMismatch(err)) {
        throw new Error(`another writer changed ${name} after keyplan wrote version ${written}; version ${before.version} was not made current again`, {
          cause: err,
        });
      }
      throw undoError(failure, `making version ${before.version} of ${name} current again`, err);
    }
  }
  // The deleted key's secret stays in keyplan's version until destroyed; a token without
  // destroy leaves it there, harmless (the key no longer exists) but worth a warning.
  await client.destroy([written]).catch((err: unknown) => {
    if (before.kind === 'live') {
      logger().warn(`vault_kv rollback: could not destroy version ${written} of ${name} (${callFailure(failure, 'destroying', err).reason})`);
      return;
    }
    throw undoError(failure, `destroying version ${written} of ${name}`, err);
  });
}
