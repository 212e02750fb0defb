/**
 * The `vault_kv` write: read the secret's metadata (and its current version's data, to
 * put back on rollback), write a new version with `cas` set to the version read (0 when
 * there is no secret, so a secret created meanwhile is not overwritten), read the new
 * version back and compare it, and return the undo. When anything after the write fails,
 * this write undoes itself before failing: the caller only undoes outputs that succeeded.
 */
import { logger } from '../../log/logger.js';
import type { OutputSpec } from '../../model/desired.js';
import { Secret } from '../../model/secret.js';
import type { SecretMaterial } from '../../providers/contract.js';
import type { OutputUndo, OutputWriteContext } from '../../providers/module.js';
import { OUTPUT_ERROR_CODES, OutputError } from '../output-error.js';
import { secretForms } from '../scrub.js';
import { VaultCallError, VaultKvClient } from './client.js';
import { callFailure, casRaceFailure, isCasMismatch, secretName, type FailureContext } from './failure.js';
import { vaultFields } from './fields.js';
import { describeVaultKv, SANDBOX_ADDRESS, vaultKvSettings } from './schema.js';
import { undoVaultWrite, type Before } from './undo.js';

/** What the write needs: the client, the settings and how to word failures. */
interface Target {
  readonly client: VaultKvClient;
  readonly failure: FailureContext;
}

function targetOf(spec: OutputSpec, material: SecretMaterial, ctx: OutputWriteContext): Target {
  const settings = vaultKvSettings(spec);
  const label = describeVaultKv(spec);
  const config = (reason: string): OutputError => new OutputError(spec, reason, { code: OUTPUT_ERROR_CODES.config, source: 'user', label });
  let address = settings.address;
  let token: string | undefined;
  let tokenName: string;
  if (address === SANDBOX_ADDRESS) {
    if (ctx.sandbox === undefined) throw config('`address: sandbox` needs the sandbox, and none was started for this output');
    address = ctx.sandbox.url;
    token = ctx.sandbox.credentials['token'];
    tokenName = "the sandbox's root token";
  } else {
    const variable = settings.tokenEnv ?? '';
    token = ctx.env[variable];
    tokenName = `the token in ${variable}`;
    if (token === undefined || token === '') throw config(`the environment variable ${variable} (the Vault token) is not set`);
  }
  const secret = new Secret(token ?? '');
  const forms = [...secretForms(material), token ?? ''].filter((f) => f.length > 0);
  const client = new VaultKvClient({
    address,
    token: secret,
    mount: settings.mount,
    path: settings.path,
    ...(settings.namespace !== undefined ? { namespace: settings.namespace } : {}),
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
  });
  return { client, failure: { spec, settings: { ...settings, address }, tokenName, forms } };
}

/** What was at the path before the write. */
async function readBefore(t: Target): Promise<Before> {
  const meta = await t.client.readMetadata().catch((err: unknown) => {
    throw callFailure(t.failure, 'reading the secret’s metadata', err);
  });
  if (meta === undefined) return { kind: 'absent' };
  const current = meta.currentVersion;
  if (current === 0 || meta.live.get(current) !== true) return { kind: 'no-live-version', version: current };
  const read = await t.client.readVersion(current).catch((err: unknown) => {
    throw callFailure(t.failure, `reading version ${current} (to put it back on rollback)`, err);
  });
  if (read?.data === null || read === undefined) return { kind: 'no-live-version', version: current };
  return { kind: 'live', version: current, data: read.data };
}

/** Compares what Vault holds now with what was written; returns what differs (field names only). */
async function confirm(t: Target, version: number, data: Readonly<Record<string, string>>): Promise<string | undefined> {
  const back = await t.client.readVersion(version);
  if (back === undefined || back.data === null) return `version ${version} cannot be read back`;
  if (back.version !== version) return `reading version ${version} back answered version ${back.version}`;
  const wrote = Object.keys(data).sort();
  const got = Object.keys(back.data).sort();
  if (wrote.join('\n') !== got.join('\n')) return `version ${version} read back has the fields ${got.join(', ') || '(none)'} instead of ${wrote.join(', ')}`;
  const differing = wrote.filter((f) => back.data?.[f] !== data[f]);
  return differing.length === 0 ? undefined : `version ${version} read back holds other values in ${differing.join(', ')}`;
}

/**
 * A write whose answer was lost (a broken connection, a timeout) may still have landed.
 * When version `expected` holds exactly what was sent, it is keyplan's: take it back, so
 * the deleted key's secret does not stay current. Returns the error to throw.
 */
async function takeBackLostWrite(
  t: Target,
  before: Before,
  expected: number,
  data: Readonly<Record<string, string>>,
  failure: OutputError,
): Promise<OutputError> {
  const landed = await confirm(t, expected, data).catch(() => 'unknown');
  if (landed !== undefined) return failure;
  const undone = await undoVaultWrite(t.client, t.failure, before, expected).then(
    () => `it had landed as version ${expected} and was taken back`,
    (err: unknown) => `it had landed as version ${expected}, and taking it back failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  return new OutputError(t.failure.spec, `${failure.reason}; ${undone}`, {
    code: OUTPUT_ERROR_CODES.store,
    source: 'user',
    label: failure.outputLabel,
    cause: failure,
  });
}

/** Writes the key's fields as a new version of the secret and returns how to put the previous one back. */
export async function writeVaultKvOutput(spec: OutputSpec, material: SecretMaterial, ctx: OutputWriteContext): Promise<OutputUndo> {
  const label = describeVaultKv(spec);
  const data = vaultFields(spec, material, label);
  const t = targetOf(spec, material, ctx);
  const before = await readBefore(t);
  const cas = before.kind === 'absent' ? 0 : before.version;
  let version: number;
  try {
    version = await t.client.write(data, cas);
  } catch (err) {
    if (isCasMismatch(err)) {
      const now = await t.client.readMetadata().catch(() => undefined);
      throw casRaceFailure(t.failure, cas, now?.currentVersion);
    }
    const failure = callFailure(t.failure, 'writing the new version', err);
    // Only an unanswered write may have landed; any answer from Vault says it did not.
    const unanswered = err instanceof VaultCallError && err.status === 0;
    throw unanswered ? await takeBackLostWrite(t, before, cas + 1, data, failure) : failure;
  }
  const undo: OutputUndo = () => undoVaultWrite(t.client, t.failure, before, version);
  let problem: string | undefined;
  try {
    problem = await confirm(t, version, data);
  } catch (err) {
    problem = callFailure(t.failure, `reading version ${version} back`, err).reason;
  }
  if (problem !== undefined) {
    const undone = await undo().then(
      () => 'the write was taken back',
      (err: unknown) => `taking the write back failed too: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw new OutputError(spec, `${problem}; ${undone}`, { code: OUTPUT_ERROR_CODES.store, source: 'user', label });
  }
  logger().debug('vault_kv output written', { key: ctx.keyName, secret: secretName(t.failure.settings), version, fields: Object.keys(data).sort() });
  return undo;
}
