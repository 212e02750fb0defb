/**
 * Connecting to Heimdall for a provider block: check the settings, find the API token
 * (the env variable `token_env` names, or the sandbox's bootstrap token), build the
 * client, and ask `POST authorize` whose token it is. Every failure names where the
 * token came from, never the token.
 */
import { InternalError, KeyplanError, ProviderError } from '../../errors/errors.js';
import { registerSecretValue } from '../../log/logger.js';
import { Secret } from '../../model/secret.js';
import type { ConfigureRequest } from '../contract.js';
import { settingsMessage } from '../shared/settings-problems.js';
import { HeimdallClient } from './client.js';
import { DATAOS_CODES, scrub } from './errors.js';
import type { RetryPolicy } from './retry.js';
import { parseDataosSettings } from './settings.js';
import { parseAuthorize } from './wire.js';

/** A configured block: its name, its client, and the user id its token belongs to. */
export interface HeimdallConnection {
  readonly name: string;
  readonly client: HeimdallClient;
  readonly caller: string;
}

/** Settings, token and whoami; throws KeyplanError (settings, token) or ProviderError (Heimdall). */
export async function connectHeimdall(req: ConfigureRequest, tuning: { readonly retry: RetryPolicy; readonly timeoutMs: number }): Promise<HeimdallConnection> {
  req.signal?.throwIfAborted();
  const block = req.block.name;
  const { settings, problems } = parseDataosSettings(req.block);
  if (problems.length > 0) {
    throw new KeyplanError(settingsMessage(block, problems), { code: DATAOS_CODES.settings, source: 'user' });
  }
  const base = settings.sandbox ? req.sandbox?.url : settings.url;
  if (base === undefined) throw new InternalError(`Expected the engine to start the sandbox for provider "${block}", got no endpoint`);
  const { token, source } = readToken(block, settings.tokenEnv, req);
  const client = new HeimdallClient({
    baseUrl: `${heimdallRoot(base)}/heimdall/api/v1`,
    token,
    authHeader: settings.authHeader,
    tokenSource: source,
    provider: block,
    retry: tuning.retry,
    timeoutMs: tuning.timeoutMs,
    ...(req.onRetry === undefined ? {} : { onRetry: req.onRetry }),
  });
  return { name: block, client, caller: await whoAmI(client, token, block, req.signal) };
}

/** The API token and how messages name its origin; never the value. */
function readToken(block: string, tokenEnv: string | undefined, req: ConfigureRequest): { token: Secret; source: string } {
  if (tokenEnv !== undefined) {
    const value = req.env[tokenEnv];
    if (value === undefined || value.trim() === '') {
      throw new KeyplanError(
        `provider "${block}": environment variable ${tokenEnv} (the DataOS API token keyplan authenticates with) is ${value === undefined ? 'not set' : 'empty'}`,
        {
          code: DATAOS_CODES.tokenMissing,
          source: 'user',
        },
      );
    }
    registerSecretValue(value.trim());
    return { token: new Secret(value.trim()), source: `environment variable ${tokenEnv}` };
  }
  const sandboxToken = req.sandbox?.credentials['token'];
  if (sandboxToken === undefined) throw new InternalError(`Expected sandbox credentials with a token for provider "${block}", got none`);
  registerSecretValue(sandboxToken);
  return { token: new Secret(sandboxToken), source: 'the sandbox bootstrap token' };
}

/** `POST authorize {token}`: the user id of the token, or an error naming the token's origin. */
async function whoAmI(client: HeimdallClient, token: Secret, block: string, signal?: AbortSignal): Promise<string> {
  const answer = await client.send({
    operation: 'Authorize',
    method: 'POST',
    path: 'authorize',
    body: () => ({ token: token.reveal() }),
    accept: [401, 403],
    signal,
  });
  const parsed = parseAuthorize(answer.body);
  if (typeof parsed !== 'string' && parsed.valid) return parsed.userId;
  const detail =
    typeof parsed === 'string'
      ? `${answer.status}: ${parsed}`
      : `${parsed.status ?? answer.status}${parsed.message === undefined ? '' : `: ${parsed.message}`}`;
  throw new ProviderError(
    `dataos: Heimdall rejected the API token from ${client.tokenSource} (authorize: ${scrub(detail)}); set it to a valid, unexpired DataOS API key`,
    {
      provider: block,
      operation: 'Authorize',
      retryable: false,
      statusCode: answer.status,
      code: DATAOS_CODES.unauthorized,
    },
  );
}

/** The instance root: a URL given as `…/heimdall` or `…/heimdall/api/v1` (HEIMDALL_URL's forms) is cut back. */
function heimdallRoot(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/heimdall(\/api\/v1)?$/, '');
}
