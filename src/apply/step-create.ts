/**
 * Creating a key and delivering its secret: journal the intent, create through the
 * adapter, write every output, and only then record the key in state. When no output
 * can be written the new key is deleted again, so keyplan never leaves behind a key
 * whose secret nobody holds.
 */
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { KeyInstance, KeyplanState } from '../model/state.js';
import { writeOutputs } from '../outputs/index.js';
import { clearIntent, recordIntent } from '../state/mutations.js';
import type { StepContext } from './context.js';
import { readPassphrase } from './passphrase.js';
import { adapterFor } from './step-delete.js';
import { KeyplanError } from '../errors/errors.js';
import { logger } from '../log/logger.js';

/** Commits a created key to state: how depends on the change (create, rotate). */
export type CreateCommit = (state: KeyplanState, instance: KeyInstance) => KeyplanState;

/** Creates `key`, delivers its secret to the outputs, then commits it; returns the live key. */
export async function createAndDeliver(ctx: StepContext, key: DesiredKey, commit: CreateCommit): Promise<LiveKey> {
  const adapter = adapterFor(ctx, key.provider);
  const passphrase = readPassphrase(key, ctx.env);
  const intentId = ctx.newId();
  const intentBase = { id: intentId, operation: 'create' as const, name: key.name, kind: key.kind, provider: key.provider, owner: key.owner };
  const created = await adapter.create({
    key,
    passphrase,
    token: intentId,
    signal: ctx.signal,
    recordIntent: (liveId) =>
      ctx.session.update((s) => recordIntent(s, { ...intentBase, ...(liveId ? { liveId } : {}), startedAt: iso(ctx.now()) })),
  });
  logger().debug('key created', { name: key.name, kind: key.kind, owner: key.owner, id: created.live.id, intent: intentId });
  try {
    const written = await writeOutputs(key.outputs, created.material, { baseDir: ctx.config.baseDir, keyName: key.name });
    logger().debug('outputs written', { name: key.name, outputs: written });
  } catch (error) {
    await deleteUndeliverable(ctx, key, created.live.id, intentId);
    throw new KeyplanError(`${key.name}: the new key's secret could not be written to its outputs, so the key was deleted again: ${messageOf(error)}`, {
      code: 'KP_APPLY_E0003',
      source: 'user',
      cause: error,
    });
  }
  const instance: KeyInstance = { id: created.live.id, createdAt: iso(ctx.now()), attributes: key.attributes };
  await ctx.session.update((s) => commit(clearIntent(s, intentId), instance));
  logger().debug('state recorded key', { name: key.name, id: instance.id, serial: ctx.session.current.serial });
  return created.live;
}

async function deleteUndeliverable(ctx: StepContext, key: DesiredKey, id: string, intentId: string): Promise<void> {
  // The create intent stays journalled until the delete succeeded: if this delete fails,
  // the next plan finds the key through the intent and deletes it (interrupted_create).
  await adapterFor(ctx, key.provider).delete({ kind: key.kind, owner: key.owner, id, recordIntent: async () => undefined, signal: ctx.signal });
  await ctx.session.update((s) => clearIntent(s, intentId));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
