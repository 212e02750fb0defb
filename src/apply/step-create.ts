/**
 * Creating a key and delivering its secret: journal the intent, create through the
 * adapter, write every output, verify that the new credential authenticates
 * (verify-key.ts), and only then record the key in state. When no output can be written
 * the new key is deleted again, so keyplan never leaves behind a key whose secret nobody
 * holds. A key that never authenticates is recorded as a rotation's pending key (the old
 * key stays current) or, for a plain create, deleted again with its outputs put back.
 */
import type { AttributeValue, Attributes, DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { KeyInstance, KeyplanState, PendingInstance } from '../model/state.js';
import { deliverOutputs, type Delivered } from '../outputs/index.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../model/verify.js';
import { formatDuration } from '../model/duration.js';
import { clearIntent, createIntent, recordIntent, settleCreate } from '../state/journal.js';
import type { StepContext } from './context.js';
import { readPassphrase } from './passphrase.js';
import { adapterFor } from './step-delete.js';
import { KeyplanError } from '../errors/errors.js';
import { logger } from '../log/logger.js';
import { APPLY_CODES } from './codes.js';
import { verifyNewKey, type VerifyOutcome } from './verify-key.js';

/** Commits a created key to state: how depends on the change (create, rotate). */
export type CreateCommit = (state: KeyplanState, instance: KeyInstance) => KeyplanState;

/** How a rotation keeps a new key that never authenticated (instead of deleting it), and what that means for the user. */
export interface KeepUnverified {
  /** Records the key, e.g. as the record's pending key while the old key stays current. */
  readonly commit: (state: KeyplanState, pending: PendingInstance) => KeyplanState;
  /** The end of the step's error message, e.g. "the old key stays current and the next apply verifies the new one again". */
  readonly outcome: string;
}

/**
 * Creates `key`, delivers its secret to the outputs, verifies it, then commits it; returns
 * the live key. A key that does not authenticate within `rotation.verify_timeout` is
 * recorded through `keepUnverified` when given (a rotation), else deleted again; either
 * way the step throws.
 */
export async function createAndDeliver(ctx: StepContext, key: DesiredKey, commit: CreateCommit, keepUnverified?: KeepUnverified): Promise<LiveKey> {
  const adapter = adapterFor(ctx, key.provider);
  const passphrase = readPassphrase(key, ctx.env);
  // The intent's id is also the call's idempotency token (state/journal.ts, rule 1).
  const intentId = ctx.newId();
  const created = await adapter.create({
    key,
    passphrase,
    token: intentId,
    signal: ctx.signal,
    recordIntent: (liveId, match) => {
      const intent = createIntent(key, intentId, iso(ctx.now()), liveId, match);
      return ctx.session.update((s) => recordIntent(s, intent));
    },
  });
  logger().debug('key created', { name: key.name, kind: key.kind, owner: key.owner, id: created.live.id, intent: intentId });
  let delivered: Delivered;
  try {
    delivered = await deliverOutputs(key.outputs, created.material, {
      baseDir: ctx.config.baseDir,
      keyName: key.name,
      kind: key.kind,
      owner: key.owner,
      liveId: created.live.id,
      types: ctx.providers.outputs,
      env: ctx.env,
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      ...(ctx.outputSandbox !== undefined ? { sandboxFor: ctx.outputSandbox } : {}),
    });
    logger().debug('outputs written', { name: key.name, outputs: delivered.written });
  } catch (error) {
    await deleteUndeliverable(ctx, key, created.live.id, intentId, error);
    throw undeliverable(key, `so the key was deleted again: ${messageOf(error)}`, error);
  }
  const createdAt = iso(ctx.now());
  const verdict = await verifyOrReason(ctx, key, created.live, created.material, passphrase);
  const instance: KeyInstance = {
    id: created.live.id,
    createdAt,
    attributes: recordedAttributes(key, created.live, ctx.providers.kinds),
    ...(verdict.outcome === 'verified' ? { verifiedAt: iso(ctx.now()) } : {}),
  };
  if (verdict.outcome === 'unverified') {
    const within = formatDuration(key.rotation.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS);
    if (keepUnverified !== undefined) {
      const pending: PendingInstance = { ...instance, unverifiedSince: iso(ctx.now()), verifyError: verdict.reason };
      await ctx.session.update((s) => keepUnverified.commit(settleCreate(s, intentId), pending));
      throw unverified(key, `the new key ${created.live.id} did not authenticate within ${within}: ${verdict.reason}; ${keepUnverified.outcome}`);
    }
    const left = await delivered.putBack();
    await deleteUnverified(ctx, key, created.live.id, intentId, `the new key did not authenticate within ${within}: ${verdict.reason}`);
    const notes = left.length > 0 ? `; putting its outputs back failed: ${left.join('; ')}` : ', and its outputs were put back';
    throw unverified(key, `the new key did not authenticate within ${within}: ${verdict.reason}; it was deleted again${notes}`);
  }
  await ctx.session.update((s) => commit(settleCreate(s, intentId), instance));
  logger().debug('state recorded key', { name: key.name, id: instance.id, serial: ctx.session.current.serial });
  return created.live;
}

async function deleteUndeliverable(ctx: StepContext, key: DesiredKey, id: string, intentId: string, outputError: unknown): Promise<void> {
  // The create intent stays journalled until the delete succeeded (state/journal.ts, rule
  // 2): if this delete fails, the next plan finds the key through the intent and deletes it.
  try {
    await adapterFor(ctx, key.provider).delete({ kind: key.kind, owner: key.owner, id, recordIntent: async () => undefined, signal: ctx.signal });
  } catch (deleteError) {
    // Both causes matter to the user: the output problem is theirs to fix.
    throw undeliverable(
      key,
      `and deleting the key again failed (${messageOf(deleteError)}), so the next plan deletes it: ${messageOf(outputError)}`,
      outputError,
    );
  }
  await ctx.session.update((s) => clearIntent(s, intentId));
}

/** A verification that throws (a refused request, a bug) counts as a key not proven, with its message as the reason. */
async function verifyOrReason(
  ctx: StepContext,
  key: DesiredKey,
  live: LiveKey,
  material: Parameters<typeof verifyNewKey>[3],
  passphrase: Parameters<typeof verifyNewKey>[4],
): Promise<VerifyOutcome> {
  try {
    return await verifyNewKey(ctx, key, live, material, passphrase);
  } catch (error) {
    return { outcome: 'unverified', reason: messageOf(error) };
  }
}

function unverified(key: DesiredKey, detail: string): KeyplanError {
  return new KeyplanError(`${key.name}: ${detail}`, { code: APPLY_CODES.verifyFailed, source: 'provider' });
}

/** Deletes a new key that never authenticated; the create intent stays journalled until that worked (as in deleteUndeliverable). */
async function deleteUnverified(ctx: StepContext, key: DesiredKey, id: string, intentId: string, why: string): Promise<void> {
  try {
    await adapterFor(ctx, key.provider).delete({ kind: key.kind, owner: key.owner, id, recordIntent: async () => undefined, signal: ctx.signal });
  } catch (deleteError) {
    throw unverified(key, `${why}; deleting it again failed (${messageOf(deleteError)}), so the next plan deletes it`);
  }
  await ctx.session.update((s) => clearIntent(s, intentId));
}

function undeliverable(key: DesiredKey, outcome: string, cause: unknown): KeyplanError {
  return new KeyplanError(`${key.name}: the new key's secret could not be written to its outputs, ${outcome}`, {
    code: APPLY_CODES.outputsFailed,
    source: 'user',
    cause,
  });
}

/**
 * The declared attributes plus the computed ones the provider reported (KindSpec.computed,
 * e.g. the fingerprint): some kinds can read a computed attribute only with one GET per key,
 * so its adapter lists known keys from these instead.
 */
function recordedAttributes(key: DesiredKey, live: LiveKey, kinds: StepContext['providers']['kinds']): Attributes {
  const out: Record<string, AttributeValue> = { ...key.attributes };
  for (const name of kinds[key.kind]?.computed ?? []) {
    const value = live.attributes[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
