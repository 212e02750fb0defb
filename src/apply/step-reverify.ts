/**
 * Continuing a rotation whose new key did not authenticate on an earlier apply (state's
 * `pending` key; the old key is still current): read the new key's secret back from its
 * outputs, in memory only, and verify it again. When it authenticates it becomes current
 * and the old key retires with its overlap, as if the rotation had just succeeded; when
 * it still does not, state records the latest reason and the step fails again.
 */
import { KeyplanError } from '../errors/errors.js';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { PlannedChange } from '../model/plan.js';
import { Secret } from '../model/secret.js';
import type { SecretMaterial } from '../providers/contract.js';
import { readBackOutputs } from '../outputs/read-back.js';
import { promotePending, setPending } from '../state/mutations.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../model/verify.js';
import { formatDuration } from '../model/duration.js';
import { UNREADABLE_OUTPUTS } from '../model/verify.js';
import { APPLY_CODES } from './codes.js';
import type { StepContext } from './context.js';
import { readPassphrase } from './passphrase.js';
import { verifyNewKey, type VerifyOutcome } from './verify-key.js';

/** Verifies the pending key `change.verifies` again; resolves once it is current, throws when it still does not authenticate. */
export async function reverifyPending(ctx: StepContext, change: PlannedChange, key: DesiredKey): Promise<void> {
  const record = ctx.session.current.keys[change.name];
  const pending = record?.pending;
  if (record === undefined || pending === undefined || pending.id !== change.verifies?.id) {
    throw new KeyplanError(`${change.name}: state no longer records new key ${change.verifies?.id ?? '?'} as unverified; plan again`, {
      code: APPLY_CODES.verifyFailed,
      source: 'user',
    });
  }
  const live: LiveKey = { provider: record.provider, kind: record.kind, owner: record.owner, id: pending.id, status: 'active', attributes: pending.attributes };
  const material = await readMaterial(ctx, key, live);
  let verdict: VerifyOutcome;
  if (material === undefined) verdict = { outcome: 'unverified', reason: UNREADABLE_OUTPUTS };
  else {
    try {
      verdict = await verifyNewKey(ctx, key, live, material, readPassphrase(key, ctx.env));
    } catch (error) {
      verdict = { outcome: 'unverified', reason: error instanceof Error ? error.message : String(error) };
    }
  }
  if (verdict.outcome === 'unverified') {
    await ctx.session.update((s) => setPending(s, change.name, { ...pending, verifyError: verdict.reason }));
    const next =
      verdict.reason === UNREADABLE_OUTPUTS
        ? 'the next plan replaces it with a new key'
        : 'the old key stays current and the next apply verifies the new one again';
    const within = formatDuration(key.rotation.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS);
    throw new KeyplanError(`${change.name}: new key ${pending.id} still does not authenticate (tried for up to ${within}): ${verdict.reason}; ${next}`, {
      code: APPLY_CODES.verifyFailed,
      source: 'provider',
    });
  }
  const now = ctx.now();
  const retireAfter = new Date(now + (change.overlapMs ?? 0)).toISOString();
  await ctx.session.update((s) => promotePending(s, change.name, new Date(now).toISOString(), retireAfter));
}

/** The new key's secret as its outputs hold it, as the adapter's verify reads material. */
async function readMaterial(ctx: StepContext, key: DesiredKey, live: LiveKey): Promise<SecretMaterial | undefined> {
  const found = await readBackOutputs(
    key.outputs,
    {
      baseDir: ctx.config.baseDir,
      keyName: key.name,
      kind: key.kind,
      owner: key.owner,
      liveId: live.id,
      types: ctx.providers.outputs,
      env: ctx.env,
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    },
    ctx.providers.kinds[key.kind]?.sensitive ?? [],
  );
  if (found === undefined) return undefined;
  return { file: found.file ?? new Secret(''), secrets: found.secrets ?? {}, values: {} };
}
