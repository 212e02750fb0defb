/**
 * Retry settings of the Identity calls. The SDK retries by itself (providers/oci.md
 * §5.3); keyplan only chooses how many attempts, and derives the idempotency token the
 * SDK resends on each of them.
 */
import { createHash } from 'node:crypto';
import * as common from 'oci-common';

/**
 * The client retry configuration for a block's `max_attempts`: the SDK's default policy
 * (exponential backoff with jitter, up to 30 s; retries 409 IncorrectState, 429, 5xx and
 * lost responses) capped at `maxAttempts`. Undefined keeps each operation's SDK default.
 */
export function retryConfigurationFor(maxAttempts: number | undefined): common.RetryConfiguration | undefined {
  if (maxAttempts === undefined) return undefined;
  return { ...common.OciSdkDefaultRetryConfiguration, terminationStrategy: new common.MaxAttemptsTerminationStrategy(maxAttempts) };
}

/**
 * The `opc-retry-token` for one upload. It is derived from the engine's token *and* the
 * fingerprint: the SDK reuses it on its own retries (same body, so OCI replays the first
 * answer), while an engine-level retry of create generates a new key pair and would get
 * 409 InvalidatedRetryToken if it sent the same token with a different body.
 * SHA-256 hex is 64 characters, the longest token OCI accepts.
 */
export function retryTokenFor(token: string, fingerprint: string): string {
  return createHash('sha256').update(`${token}\n${fingerprint}`).digest('hex');
}
