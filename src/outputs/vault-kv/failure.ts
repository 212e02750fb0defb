/**
 * Words for the `vault_kv` output's failures. They name the Vault address, the mount and
 * path, the HTTP status and Vault's own messages (scrubbed of the token and every secret
 * value, in case a server echoes what it was sent), and the token's variable by name:
 * never the token.
 */
import type { OutputSpec } from '../../model/desired.js';
import { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from '../output-error.js';
import { scrubSecrets } from '../scrub.js';
import { VaultCallError } from './client.js';
import { describeVaultKv, type VaultKvSettings } from './schema.js';

/** Vault's words for a check-and-set refusal (a 400), as the KV v2 engine writes them. */
export const CAS_MISMATCH_MESSAGE = 'check-and-set parameter did not match the current version';

/** What a failure message needs about the call. */
export interface FailureContext {
  readonly spec: OutputSpec;
  readonly settings: VaultKvSettings;
  /** How the token is named: `the token in VAULT_TOKEN`, `the sandbox's root token`. */
  readonly tokenName: string;
  /** Secret forms (the token's included) to remove from anything Vault said. */
  readonly forms: readonly string[];
}

/** `secret/ci/deploy`: the mount and path as `vault kv` names them. */
export function secretName(s: VaultKvSettings): string {
  return `${s.mount}/${s.path}`;
}

/** The OutputError of a refused or failed call while `doing` (e.g. `writing the new version`). */
export function callFailure(ctx: FailureContext, doing: string, err: unknown): OutputError {
  const s = ctx.settings;
  const where = `Vault at ${s.address}${s.namespace === undefined ? '' : ` (namespace ${s.namespace})`}`;
  const label = describeVaultKv(ctx.spec);
  if (!(err instanceof VaultCallError)) {
    return new OutputError(ctx.spec, `${doing}: ${scrubSecrets(err instanceof Error ? err.message : String(err), ctx.forms)}`, {
      code: OUTPUT_ERROR_CODES.store,
      source: 'internal',
      label,
      cause: err,
    });
  }
  const said = err.errors.length === 0 ? '' : `: ${scrubSecrets(err.errors.join('; '), ctx.forms).replace(/\s+/g, ' ').trim()}`;
  const fail = (reason: string, code: OutputErrorOptions['code'] = OUTPUT_ERROR_CODES.store): OutputError =>
    new OutputError(ctx.spec, `${doing}: ${reason}`, { code, source: 'user', label });
  switch (err.status) {
    case 0:
      return fail(`cannot reach ${where}: ${scrubSecrets(err.message, ctx.forms)}`);
    case 401:
    case 403:
      return fail(
        `${where} refused ${ctx.tokenName} for ${secretName(s)} (HTTP ${err.status}${said}); the token needs create, update and read on ${s.mount}/data/${s.path}, read on ${s.mount}/metadata/${s.path}`,
        OUTPUT_ERROR_CODES.auth,
      );
    case 404:
      return fail(`${where} has no KV version 2 mount "${s.mount}" serving ${secretName(s)} (HTTP 404${said})`);
    case 503:
      return fail(`${where} is sealed or unavailable (HTTP 503${said}); unseal it and apply again`);
    default:
      return fail(`${where} answered HTTP ${err.status}${said} for ${secretName(s)}`);
  }
}

/** True when `err` is Vault refusing a write because another writer moved the version. */
export function isCasMismatch(err: unknown): boolean {
  return err instanceof VaultCallError && err.status === 400 && err.errors.some((e) => e.includes(CAS_MISMATCH_MESSAGE));
}

/** The lost check-and-set race, as such. */
export function casRaceFailure(ctx: FailureContext, readVersion: number, nowVersion: number | undefined): OutputError {
  const now = nowVersion === undefined ? 'deleted it' : `changed ${secretName(ctx.settings)} (version ${nowVersion})`;
  const subject = nowVersion === undefined ? `${secretName(ctx.settings)}: another writer ${now}` : `another writer ${now}`;
  return new OutputError(ctx.spec, `${subject} since keyplan read version ${readVersion}; nothing was written, apply again to deliver the new key`, {
    code: OUTPUT_ERROR_CODES.store,
    source: 'user',
    label: describeVaultKv(ctx.spec),
  });
}
