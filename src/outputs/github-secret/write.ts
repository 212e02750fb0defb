/**
 * Writing one `github_secret` output: fetch the place's public key, seal the chosen value
 * for it, PUT it with the key's id (201 created, 204 updated). GitHub cannot hand a
 * secret back, so a replaced value cannot be put back: an update returns no undo, and
 * the output type is ordered last among a key's outputs (OUTPUT_ORDER.githubSecret) so
 * only another github_secret output can fail after it. A secret this write created
 * (201) is put back as it was by deleting it again. Refusals become messages that name the place, the secret and the
 * token's variable; GitHub's own words are shown scrubbed of every secret form and the
 * token, and the value or token never appears.
 */
import { InternalError } from '../../errors/errors.js';
import { logger } from '../../log/logger.js';
import type { OutputSpec } from '../../model/desired.js';
import type { SecretMaterial } from '../../providers/contract.js';
import type { OutputUndo, OutputWriteContext } from '../../providers/module.js';
import { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from '../output-error.js';
import { scrubSecrets, secretForms } from '../scrub.js';
import { githubMessage, githubRequest, GithubUnreachable, type GithubAnswer, type GithubConnection } from './client.js';
import { BadPublicKey, sealForGithub } from './seal.js';
import { describeGithubSecret, githubSecretSettings, placeWords, secretsPath, type GithubSecretSettings } from './settings.js';

type Fail = (reason: string, code: OutputErrorOptions['code'], source: OutputErrorOptions['source'], cause?: unknown) => OutputError;

/** OutputModule.write of `github_secret`; resolves to the undo of a created secret, undefined after an update. */
export async function writeGithubSecret(spec: OutputSpec, material: SecretMaterial, ctx: OutputWriteContext): Promise<OutputUndo | undefined> {
  const settings = githubSecretSettings(spec);
  const label = describeGithubSecret(spec);
  const fail: Fail = (reason, code, source, cause) => new OutputError(spec, reason, { code, source, label, ...(cause === undefined ? {} : { cause }) });
  const value = valueOf(settings.field, material, ctx.keyName, fail);
  const { conn, tokenWho } = connectionOf(settings, ctx, fail);
  const forms = [...secretForms(material), conn.token];
  const base = secretsPath(settings.place);
  const words = { settings, tokenWho, forms, fail };

  const keyAnswer = await call(conn, 'GET', `${base}/public-key`, undefined, fail);
  if (keyAnswer.status !== 200) throw refusal(keyAnswer, 'read the public key of', words);
  const { key_id: keyId, key } = (keyAnswer.body ?? {}) as Record<string, unknown>;
  if (typeof keyId !== 'string' || typeof key !== 'string') {
    throw fail(`GitHub's public key answer for ${placeWords(settings.place)} has no key_id and key`, OUTPUT_ERROR_CODES.store, 'provider');
  }
  let encrypted: string;
  try {
    encrypted = await sealForGithub(value, key);
  } catch (error) {
    if (!(error instanceof BadPublicKey)) throw error;
    throw fail(`GitHub's public key for ${placeWords(settings.place)} cannot be used: ${error.message}`, OUTPUT_ERROR_CODES.store, 'provider', error);
  }
  forms.push(encrypted);
  const body = { encrypted_value: encrypted, key_id: keyId, ...(settings.place.kind === 'organization' ? { visibility: settings.place.visibility } : {}) };
  const secretPath = `${base}/${encodeURIComponent(settings.name)}`;
  const put = await call(conn, 'PUT', secretPath, body, fail);
  if (put.status !== 201 && put.status !== 204) throw refusal(put, 'write', words);
  logger().debug('github_secret output delivered', { key: ctx.keyName, output: label, created: put.status === 201 });
  // The value an update replaced is gone for good; only a secret this write created can be taken back.
  return put.status === 201 ? () => deleteCreated(conn, secretPath, settings, fail) : undefined;
}

/** The undo of a created secret: delete it (already gone counts as done). Errors name the secret and status only. */
async function deleteCreated(conn: GithubConnection, path: string, settings: GithubSecretSettings, fail: Fail): Promise<void> {
  const answer = await call(conn, 'DELETE', path, undefined, fail);
  if (answer.status === 204 || answer.status === 404) return;
  throw fail(
    `deleting secret ${settings.name} of ${placeWords(settings.place)} again failed (${answer.status}); it still holds the new key's value`,
    OUTPUT_ERROR_CODES.store,
    'provider',
  );
}

/** The value the output stores: the file material, or one named secret or value. */
function valueOf(field: string, material: SecretMaterial, keyName: string, fail: Fail): string {
  if (field === 'file') return material.file.reveal();
  const secret = Object.hasOwn(material.secrets, field) ? material.secrets[field] : undefined;
  if (secret !== undefined) return secret.reveal();
  const plain = Object.hasOwn(material.values, field) ? material.values[field] : undefined;
  if (plain !== undefined) return plain;
  const offered = ['file', ...Object.keys(material.secrets), ...Object.keys(material.values)].sort();
  throw fail(`key ${keyName} has no value "${field}" to store (field may be: ${offered.join(', ')})`, OUTPUT_ERROR_CODES.config, 'user');
}

function connectionOf(settings: GithubSecretSettings, ctx: OutputWriteContext, fail: Fail): { conn: GithubConnection; tokenWho: string } {
  const signal = ctx.signal === undefined ? {} : { signal: ctx.signal };
  const fromEnv = settings.tokenEnv === undefined ? undefined : ctx.env[settings.tokenEnv];
  if (settings.tokenEnv !== undefined && (fromEnv === undefined || fromEnv === '')) {
    throw fail(`the environment variable ${settings.tokenEnv} (the GitHub token) is not set`, OUTPUT_ERROR_CODES.config, 'user');
  }
  if (settings.apiUrl !== 'sandbox') {
    if (fromEnv === undefined) throw new InternalError('Expected the schema to require token_env for a github_secret output without api_url: sandbox');
    return { conn: { apiUrl: settings.apiUrl, token: fromEnv, ...signal }, tokenWho: settings.tokenEnv ?? '' };
  }
  const sandbox = ctx.sandbox;
  if (sandbox === undefined) throw new InternalError('Expected the engine to start the GitHub emulator for a github_secret output with api_url: sandbox');
  const token = fromEnv ?? sandbox.credentials['token'] ?? '';
  return { conn: { apiUrl: sandbox.url, token, ...signal }, tokenWho: settings.tokenEnv ?? "the sandbox's bootstrap token" };
}

async function call(conn: GithubConnection, method: 'GET' | 'PUT' | 'DELETE', path: string, body: unknown, fail: Fail): Promise<GithubAnswer> {
  try {
    return await githubRequest(conn, method, path, body);
  } catch (error) {
    if (error instanceof GithubUnreachable) throw fail(error.message, OUTPUT_ERROR_CODES.store, 'provider', error);
    throw error;
  }
}

/** The message of a refused call, by status. */
function refusal(
  answer: GithubAnswer,
  action: 'read the public key of' | 'write',
  words: { settings: GithubSecretSettings; tokenWho: string; forms: readonly string[]; fail: Fail },
): OutputError {
  const { settings, tokenWho, forms, fail } = words;
  const said = githubMessage(answer.body);
  const quoted = said === undefined ? `${answer.status}` : `${answer.status} ${scrubSecrets(said.replace(/\s+/g, ' ').trim(), forms)}`;
  const where = placeWords(settings.place);
  const token = settings.tokenEnv === undefined ? tokenWho : `the token in ${tokenWho}`;
  switch (answer.status) {
    case 401:
      return fail(`GitHub rejected ${token} (${quoted}): it is unknown, expired or revoked`, OUTPUT_ERROR_CODES.auth, 'user');
    case 403: {
      if (/rate limit/i.test(said ?? '')) return fail(`GitHub's API rate limit was reached (${quoted}); try again later`, OUTPUT_ERROR_CODES.store, 'provider');
      const permission = settings.place.kind === 'organization' ? 'organization' : 'repository';
      const classic = settings.place.kind === 'organization' ? '`admin:org`' : '`repo`';
      return fail(
        `${token} may not ${action} the Actions secrets of ${where} (${quoted}); it needs the "Secrets" ${permission} permission with read and write access (a classic token: the ${classic} scope)`,
        OUTPUT_ERROR_CODES.auth,
        'user',
      );
    }
    case 404: {
      const hint =
        settings.place.kind === 'environment' ? '; an environment must exist (repository Settings > Environments) before secrets can be written to it' : '';
      return fail(`${where} was not found, or ${token} may not see it (${quoted}; GitHub answers 404 for both)${hint}`, OUTPUT_ERROR_CODES.store, 'user');
    }
    case 422:
      return fail(`GitHub refused secret ${settings.name} for ${where} (${quoted})`, OUTPUT_ERROR_CODES.store, 'provider');
    default:
      return fail(`GitHub answered ${quoted} when asked to ${action} the Actions secrets of ${where}`, OUTPUT_ERROR_CODES.store, 'provider');
  }
}
