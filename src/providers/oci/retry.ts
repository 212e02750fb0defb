/**
 * Retry settings of the Identity and BDS calls. The SDK retries by itself (providers/oci.md
 * §5.3); keyplan chooses how many attempts, hears about each retry (to say on stderr why
 * a run waits), and derives the idempotency token the SDK resends on each of them.
 */
import { createHash } from 'node:crypto';
import * as common from 'oci-common';
import type { RetryNotice } from '../contract.js';

/** Attempts of the SDK's default policy, which every Identity operation uses. */
const SDK_DEFAULT_ATTEMPTS = 8;

type DelayStrategy = NonNullable<common.RetryConfiguration['delayStrategy']>;

/**
 * The client retry configuration for a block's `max_attempts`: the SDK's default policy
 * (exponential backoff with jitter, up to 30 s; retries 409 IncorrectState, 429, 5xx and
 * lost responses) capped at `maxAttempts`. With neither, undefined keeps each operation's
 * SDK default. `onRetry` is told before each pause.
 */
export function retryConfigurationFor(maxAttempts: number | undefined, onRetry?: (notice: RetryNotice) => void): common.RetryConfiguration | undefined {
  if (maxAttempts === undefined && onRetry === undefined) return undefined;
  const attempts = maxAttempts ?? SDK_DEFAULT_ATTEMPTS;
  const base = common.OciSdkDefaultRetryConfiguration;
  const config = { ...base, terminationStrategy: new common.MaxAttemptsTerminationStrategy(attempts) };
  if (onRetry === undefined) return config;
  const condition = base.retryCondition;
  const delays = base.delayStrategy;
  // Both are set in the SDK's default; without them there is nothing to wrap.
  if (condition === undefined || delays === undefined) return config;
  // The SDK's retrier asks retryCondition about an error answer and, in the same
  // synchronous turn, asks the delay strategy for the pause; the error seen last is
  // that call's. A failure without an answer skips retryCondition (`no response`).
  let last: common.OciError | undefined;
  return {
    ...config,
    retryCondition: (error: common.OciError) => {
      last = error;
      queueMicrotask(() => (last = undefined));
      return condition(error);
    },
    delayStrategy: {
      delay(context: Parameters<DelayStrategy['delay']>[0]): number {
        const seconds = delays.delay(context);
        const operation = last?.operationName ? last.operationName.charAt(0).toUpperCase() + last.operationName.slice(1) : 'OCI call';
        const reason = last === undefined ? 'no response' : `${last.statusCode} ${last.serviceCode}`;
        last = undefined;
        onRetry({ operation, reason, delayMs: seconds * 1000, attempt: context.attemptCount + 2, maxAttempts: attempts });
        return seconds;
      },
    },
  };
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
