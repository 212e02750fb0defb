/**
 * Verifying a new DataOS API key token: `POST authorize {token}` with the new token, the
 * whoami Heimdall answers without any other credential. A token Heimdall does not accept
 * (`valid: false`, or a 401/403 answer) is rejected; one that authorizes as another user
 * than the one it was created for is rejected too, since its consumers would act as someone else.
 */
import type { Secret } from '../../model/secret.js';
import type { VerifyResult } from '../contract.js';
import type { HeimdallClient } from './client.js';
import { scrub } from './errors.js';
import { parseAuthorize } from './wire.js';

/** One verification of a new token. */
export interface TokenCheck {
  readonly client: HeimdallClient;
  readonly token: Secret;
  /** The user the token was created for. */
  readonly user: string;
  readonly key: string;
  readonly signal?: AbortSignal;
}

/** Asks Heimdall whose the new token is. */
export async function verifyToken(check: TokenCheck): Promise<VerifyResult> {
  const answer = await check.client.send({
    operation: 'Authorize',
    method: 'POST',
    path: 'authorize',
    body: () => ({ token: check.token.reveal() }),
    accept: [401, 403],
    user: check.user,
    key: check.key,
    ...(check.signal === undefined ? {} : { signal: check.signal }),
  });
  const parsed = parseAuthorize(answer.body);
  if (typeof parsed === 'string') return { outcome: 'rejected', reason: `authorize with the new token: ${answer.status}: ${parsed}` };
  if (!parsed.valid) {
    const status = parsed.status ?? answer.status;
    const message = parsed.message === undefined ? '' : `: ${scrub(parsed.message)}`;
    return { outcome: 'rejected', reason: `authorize with the new token: ${status}${message}` };
  }
  if (parsed.userId !== check.user) {
    return { outcome: 'rejected', reason: `authorize with the new token names user ${parsed.userId}, not ${check.user}` };
  }
  return { outcome: 'authenticated' };
}
