/**
 * Creating a key and delivering its secret: journal the intent, create through the
 * adapter, write every output, and only then record the key in state. When no output
 * can be written the new key is deleted again, so keyplan never leaves behind a key
 * whose secret nobody holds.
 */
import type { AttributeValue, Attributes, DesiredKey } from '../model/desired.js';
import { KINDS } from '../providers/kinds.js';
import type { LiveKey } from '../model/live.js';
import type { Intent, KeyInstance, KeyplanState } from '../model/state.js';
import { writeOutputs } from '../outputs/index.js';
import { clearIntent, recordIntent } from '../state/mutations.js';
import type { StepContext } from './context.js';
import { readPassphrase } from './passphrase.js';
import { adapterFor } from './step-delete.js';
import { KeyplanError } from '../errors/errors.js';
import { logger } from '../log/logger.js';
import { APPLY_CODES } from './codes.js';

/** Commits a created key to state: how depends on the change (create, rotate). */
export type CreateCommit = (state: KeyplanState, instance: KeyInstance) => KeyplanState;

/** Creates `key`, delivers its secret to the outputs, then commits it; returns the live key. */
export async function createAndDeliver(ctx: StepContext, key: DesiredKey, commit: CreateCommit): Promise<LiveKey> {
  const adapter = adapterFor(ctx, key.provider);
  const passphrase = readPassphrase(key, ctx.env);
  const intentId = ctx.newId();
  const intentBase = { id: intentId, operation: 'create' as const, name: key.name, kind: key.kind, provider: key.provider, owner: key.owner };
  let journalled: Intent | undefined;
  const created = await adapter.create({
    key,
    passphrase,
    token: intentId,
    signal: ctx.signal,
    recordIntent: (liveId, match) => {
      journalled = { ...intentBase, ...(liveId ? { liveId } : {}), ...(match ? { match } : {}), startedAt: iso(ctx.now()) };
      const intent = journalled;
      return ctx.session.update((s) => recordIntent(s, intent));
    },
  });
  logger().debug('key created', { name: key.name, kind: key.kind, owner: key.owner, id: created.live.id, intent: intentId });
  try {
    const written = await writeOutputs(key.outputs, created.material, { baseDir: ctx.config.baseDir, keyName: key.name });
    logger().debug('outputs written', { name: key.name, outputs: written });
  } catch (error) {
    await deleteUndeliverable(ctx, key, created.live.id, intentId);
    throw new KeyplanError(`${key.name}: the new key's secret could not be written to its outputs, so the key was deleted again: ${messageOf(error)}`, {
      code: APPLY_CODES.outputsFailed,
      source: 'user',
      cause: error,
    });
  }
  const instance: KeyInstance = { id: created.live.id, createdAt: iso(ctx.now()), attributes: recordedAttributes(key, created.live) };
  await ctx.session.update((s) => commit(clearIntent(withoutSuperseded(s, journalled), intentId), instance));
  logger().debug('state recorded key', { name: key.name, id: instance.id, serial: ctx.session.current.serial });
  return created.live;
}

async function deleteUndeliverable(ctx: StepContext, key: DesiredKey, id: string, intentId: string): Promise<void> {
  // The create intent stays journalled until the delete succeeded: if this delete fails,
  // the next plan finds the key through the intent and deletes it (interrupted_create).
  await adapterFor(ctx, key.provider).delete({ kind: key.kind, owner: key.owner, id, recordIntent: async () => undefined, signal: ctx.signal });
  await ctx.session.update((s) => clearIntent(s, intentId));
}

/**
 * Drops older create intents journalled by the same match value (BDS: the alias) in the
 * same scope: the value is unique there and now names the key just recorded, so any
 * earlier key that held it is gone (this create could not have succeeded otherwise).
 */
function withoutSuperseded(state: KeyplanState, current: Intent | undefined): KeyplanState {
  const m = current?.match;
  if (current === undefined || m === undefined) return state;
  const stale = (i: Intent): boolean =>
    i.id !== current.id && i.operation === 'create' && i.liveId === undefined && i.provider === current.provider &&
    i.kind === current.kind && i.owner === current.owner && i.match?.attribute === m.attribute && i.match.value === m.value;
  return state.intents.some(stale) ? { ...state, intents: state.intents.filter((i) => !stale(i)) } : state;
}

/**
 * The declared attributes plus the computed ones the provider reported (KindSpec.computed,
 * e.g. the fingerprint): a BDS key's fingerprint is only readable with one GET per key,
 * so its adapter lists known keys from these instead.
 */
function recordedAttributes(key: DesiredKey, live: LiveKey): Attributes {
  const out: Record<string, AttributeValue> = { ...key.attributes };
  for (const name of KINDS[key.kind]?.computed ?? []) {
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
