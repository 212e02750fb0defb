/** The OCI retry configuration: the attempts a block asks for, and a notice before each SDK retry pause. */
import * as common from 'oci-common';
import { describe, expect, it } from 'vitest';
import type { RetryNotice } from '../contract.js';
import { retryConfigurationFor } from './retry.js';

const failure = (status: number, code: string): common.OciError =>
  new common.OciError(status, code, 'refused', 'rid-1', 'Identity', 'listApiKeys', '', 'GET /users', '');

describe('retryConfigurationFor', () => {
  it("keeps each operation's SDK default when neither attempts nor a listener is given", () => {
    expect(retryConfigurationFor(undefined)).toBeUndefined();
  });

  it('tells the listener which operation failed how, the pause and the next attempt', () => {
    const notices: RetryNotice[] = [];
    const config = retryConfigurationFor(3, (n) => notices.push(n));
    expect(config?.retryCondition?.(failure(429, 'TooManyRequests'))).toBe(true);
    const seconds = config?.delayStrategy?.delay({ startTime: new Date(), attemptCount: 0 }) ?? -1;
    expect(notices).toEqual([{ operation: 'ListApiKeys', reason: '429 TooManyRequests', delayMs: seconds * 1000, attempt: 2, maxAttempts: 3 }]);
    expect(seconds).toBeGreaterThanOrEqual(1);
  });

  it('says "no response" when the pause follows a failure without an answer', () => {
    const notices: RetryNotice[] = [];
    const config = retryConfigurationFor(undefined, (n) => notices.push(n));
    config?.delayStrategy?.delay({ startTime: new Date(), attemptCount: 1 });
    expect(notices).toMatchObject([{ operation: 'OCI call', reason: 'no response', attempt: 3, maxAttempts: 8 }]);
  });

  it('does not pin an error of another call on a later pause', async () => {
    const notices: RetryNotice[] = [];
    const config = retryConfigurationFor(2, (n) => notices.push(n));
    expect(config?.retryCondition?.(failure(404, 'NotAuthorizedOrNotFound'))).toBe(false);
    await Promise.resolve();
    config?.delayStrategy?.delay({ startTime: new Date(), attemptCount: 0 });
    expect(notices[0]?.reason).toBe('no response');
  });
});
