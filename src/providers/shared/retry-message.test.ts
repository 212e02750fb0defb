/** The words of a retry notice, as stderr shows them. */
import { describe, expect, it } from 'vitest';
import { retryMessage } from './retry.js';

describe('retryMessage', () => {
  it('names the operation, what failed, the pause and the next attempt', () => {
    expect(retryMessage({ operation: 'ReadAccessKeys', reason: '429', delayMs: 2000, attempt: 2, maxAttempts: 4 })).toBe(
      'ReadAccessKeys: 429, retrying in 2s (attempt 2 of 4)',
    );
  });

  it('gives tenths below 10 s and whole seconds above', () => {
    expect(retryMessage({ operation: 'ListTokens', reason: 'no response', delayMs: 1370, attempt: 3, maxAttempts: 4 })).toBe(
      'ListTokens: no response, retrying in 1.4s (attempt 3 of 4)',
    );
    expect(retryMessage({ operation: 'ListApiKeys', reason: '503 ServiceUnavailable', delayMs: 16_600, attempt: 5, maxAttempts: 8 })).toBe(
      'ListApiKeys: 503 ServiceUnavailable, retrying in 17s (attempt 5 of 8)',
    );
  });
});
